import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { db, keyring } from "@/lib/instances";
import type { ReadinessCheck } from "@/lib/ops/ops-routes";

/** The migrations this build ships (prisma/migrations/<name>/), read once. */
async function shippedMigrations(root: string): Promise<string[]> {
  const entries = await readdir(join(root, "prisma", "migrations"), { withFileTypes: true });
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
}

/**
 * What /readyz asks before it says the console can serve (SPEC §10): the database answers, every
 * migration this build ships is applied (another process may have migrated it back or a restore
 * may have lost one), a master key is loaded, when the egress proxy runs its CA opens, and when the
 * boundary has a port and thread of its own (CONSOLE_BOUNDARY_PORT) that thread listens.
 */
export async function readinessChecks(options: {
  root: string;
  egressAuthority: (() => Promise<unknown>) | null;
  boundaryThread: { alive(): boolean } | null;
}): Promise<ReadinessCheck[]> {
  const shipped = await shippedMigrations(options.root);
  const checks: ReadinessCheck[] = [
    {
      name: "database",
      check: async () => {
        await db().$queryRaw`SELECT 1`;
        return true;
      },
    },
    {
      name: "migrations",
      check: async () => {
        const [row] = await db().$queryRaw<{ applied: bigint }[]>`
          SELECT count(DISTINCT migration_name) AS applied FROM _prisma_migrations
          WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL AND migration_name = ANY(${shipped})`;
        return Number(row?.applied ?? 0) === shipped.length;
      },
    },
    { name: "master_keys", check: async () => keyring().byId.size > 0 },
  ];
  const { egressAuthority, boundaryThread } = options;
  // A thread that stopped is started again at once; until it listens, model calls to its port fail.
  if (boundaryThread) checks.push({ name: "boundary_thread", check: async () => boundaryThread.alive() });
  if (egressAuthority) {
    checks.push({
      name: "egress_ca",
      check: async () => {
        await egressAuthority();
        return true;
      },
    });
  }
  return checks;
}
