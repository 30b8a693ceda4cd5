import { db } from "@/lib/instances";
import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * Runs `work` in one interactive transaction. The waits are generous because the console's rules
 * serialize writers on a row lock (a vault's credentials), and writers queue on it under load.
 */
export function transaction<T>(work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return db().$transaction(work, { maxWait: 10_000, timeout: 20_000 });
}
