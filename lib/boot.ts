import { loadKeyring } from "@/lib/crypto/master-key";
import { openDatabase, type Database } from "@/lib/open-database";
import type { ConsoleEnv } from "@/lib/env";
import { applyMigrations } from "@/lib/migrations/engine";
import { registerRuntime } from "@/lib/runtime";
import { ensureOwnerApiKey } from "@/lib/server/api-keys";

export interface BootedConsole {
  database: Database;
  appliedMigrations: string[];
  /** Where a master key was generated on this start (embedded default only). */
  generatedMasterKeyFile?: string;
  /** The owner key created on this start, if the database had none. */
  bootstrapKey: { key: string; fromEnv: boolean } | null;
  close(): Promise<void>;
}

const ANALYZE_INTERVAL_MS = 10 * 60_000;

/**
 * PGlite runs no autovacuum, so without this its planner has no statistics and answers a list's
 * first page by reading and sorting the whole table. PostgreSQL does this on its own.
 */
async function keepStatisticsFresh(database: Database): Promise<() => void> {
  const analyze = () => database.prisma.$executeRawUnsafe("ANALYZE");
  await analyze();
  const timer = setInterval(() => void analyze().catch(() => undefined), ANALYZE_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Brings the process to the point where request handlers can run: database open (and locked, for
 * PGlite), migrations applied, master key loaded, first owner key created. Used by the server and
 * by the benchmark's bare handler alike.
 */
export async function bootConsole(env: ConsoleEnv, log: (line: string) => void = () => undefined): Promise<BootedConsole> {
  const keyring = await loadKeyring(env);
  const database = await openDatabase(env);
  try {
    const { applied } = await applyMigrations(database.adapterFactory, { log });
    registerRuntime({
      prisma: database.prisma,
      keyring: keyring.keyring,
      databaseKind: database.kind,
      publicOrigin: env.CONSOLE_PUBLIC_URL,
    });
    const created = await ensureOwnerApiKey(env.CONSOLE_BOOTSTRAP_API_KEY);
    const stopAnalyzing = database.kind === "pglite" ? await keepStatisticsFresh(database) : () => undefined;
    return {
      database,
      appliedMigrations: applied,
      generatedMasterKeyFile: keyring.generatedAt,
      bootstrapKey: created && { key: created.key, fromEnv: env.CONSOLE_BOOTSTRAP_API_KEY !== undefined },
      async close() {
        stopAnalyzing();
        registerRuntime(undefined);
        await database.close();
      },
    };
  } catch (error) {
    registerRuntime(undefined);
    await database.close();
    throw error;
  }
}
