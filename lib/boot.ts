import { loadAuthSecret } from "@/lib/auth/secret";
import { describeLoadedKeys, type MissingKey } from "@/lib/crypto/key-checks";
import { readConfiguredKeys } from "@/lib/crypto/master-key";
import { shareInstances } from "@/lib/instances";
import type { DatabaseMaintenance } from "@/lib/db-maintenance";
import { openDatabase, type Database } from "@/lib/open-database";
import { installSettings, type ConsoleEnv } from "@/lib/env";
import { applyMigrations } from "@/lib/migrations/engine";
import { ensureOwnerApiKey } from "@/lib/server/api-keys";
import { createBoundaryLookup } from "@/lib/boundary/lookup";
import { loadKeyring } from "@/lib/server/master-keys";
import { ensureOwnerUser } from "@/lib/server/users";

export interface BootedConsole {
  database: Database;
  appliedMigrations: string[];
  /** Where a master key was generated on this start (embedded default only). */
  generatedMasterKeyFile?: string;
  /** The loaded master keys by id ("mk_… (active), mk_… (accepted)"), for the banner. */
  masterKeys: string;
  /** Keys sealed rows name that this process lacks (only with allowMissingKeys, for keys:rotate). */
  missingMasterKeys: MissingKey[];
  /** The owner key created on this start, if the database had none. */
  bootstrapKey: { key: string; fromEnv: boolean } | null;
  /** Where a session-signing secret was generated on this start (embedded default only). */
  generatedAuthSecretFile?: string;
  /** The admin UI owner created from ADMIN_EMAIL on this start, if the console had no user yet. */
  bootstrapOwnerEmail: string | null;
  /** True when the console has no user, so the one-time /setup page is open. */
  setupOpen: boolean;
  /** PGlite's ANALYZE and VACUUM when enough rows changed (lib/db-maintenance.ts); null on PostgreSQL. */
  maintenance: DatabaseMaintenance | null;
  close(): Promise<void>;
}

/**
 * Brings the process to the point where request handlers can run: database open (and locked, for
 * PGlite), migrations applied, master keys checked against what the database holds (a key a
 * sealed row needs and this process lacks stops the boot), session secret loaded, first owner key
 * and (from ADMIN_EMAIL/ADMIN_PASSWORD) first owner user created. Used by the server and by the
 * benchmark's bare handler alike. `allowMissingKeys` is for keys:rotate, which reports such rows.
 */
export async function bootConsole(
  env: ConsoleEnv,
  log: (line: string) => void = () => undefined,
  options: { allowMissingKeys?: boolean; maintenance?: boolean } = {},
): Promise<BootedConsole> {
  const configuredKeys = await readConfiguredKeys(env);
  const authSecret = await loadAuthSecret(env);
  const database = await openDatabase(env);
  try {
    const { applied } = await applyMigrations(database.adapterFactory, { log });
    // Before anything writes: on PostgreSQL every commit that changes what the boundary remembers
    // waits on it (lib/change-barrier.ts), and its lease lives in a table the migrations make.
    await database.startChangeBarrier?.();
    // After migrations: only the database knows which keys its sealed rows need (lib/server/master-keys.ts).
    const keyring = await loadKeyring(database.prisma, configuredKeys, options);
    installSettings(env);
    shareInstances({
      prisma: database.prisma,
      preparedQuery: database.preparedQuery,
      boundaryLookup: await createBoundaryLookup(database),
      keyring: keyring.keyring,
      changeNotices: database.changeNotices,
      authSecret: authSecret.secret,
    });
    const created = await ensureOwnerApiKey(env.CONSOLE_BOOTSTRAP_API_KEY);
    // Idempotent and race-safe (an advisory lock): only a console without any user gets this owner.
    const owner = env.ADMIN_EMAIL && env.ADMIN_PASSWORD ? await ensureOwnerUser(env.ADMIN_EMAIL, env.ADMIN_PASSWORD) : null;
    const setupOpen = (await database.prisma.user.count()) === 0;
    // PGlite runs no autovacuum: without this its planner keeps the statistics of the day the
    // tables were empty, and dead rows are never reclaimed. PostgreSQL does this on its own.
    // (Off only for tools that bulk-load and exit, like the benchmark's seeder.)
    const maintenance = options.maintenance === false ? null : (database.startMaintenance?.() ?? null);
    return {
      database,
      appliedMigrations: applied,
      generatedMasterKeyFile: keyring.generatedAt,
      masterKeys: describeLoadedKeys(keyring.keyring),
      missingMasterKeys: keyring.missing,
      bootstrapKey: created && { key: created.key, fromEnv: env.CONSOLE_BOOTSTRAP_API_KEY !== undefined },
      generatedAuthSecretFile: authSecret.generatedAt,
      bootstrapOwnerEmail: owner?.email ?? null,
      setupOpen,
      maintenance,
      async close() {
        shareInstances(undefined);
        await database.close();
      },
    };
  } catch (error) {
    shareInstances(undefined);
    await database.close();
    throw error;
  }
}
