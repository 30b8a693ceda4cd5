import type { PrismaClient } from "@/lib/generated/prisma/client";
import { getRuntime } from "@/lib/runtime";

/** The one Prisma client of this process: PGlite or PostgreSQL, opened at boot (lib/boot.ts). */
export function db(): PrismaClient {
  return getRuntime().prisma;
}
