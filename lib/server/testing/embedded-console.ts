// For unit tests of the services: a real embedded database booted in the test's own process, the
// way scripts/start.ts boots it, and removed after each test. Imported by *.test.ts files only.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, expect, inject } from "vitest";
import { bootConsole, type BootedConsole } from "@/lib/boot";
import { loadEnv } from "@/lib/env";
import { ConsoleError } from "@/lib/errors";
import { createThrowAwayDatabase, type ThrowAwayDatabase } from "@/lib/server/testing/postgres-database";

export interface EmbeddedConsole {
  /** Boots on this test's data dir (made at the first boot, kept across boots within the test). */
  boot(env?: Record<string, string>, options?: { allowMissingKeys?: boolean }): Promise<BootedConsole>;
  /**
   * Boots on a database of this test's own, made on the PostgreSQL server `serverUrl` reaches and
   * dropped after the test, with fresh keys (PostgreSQL keeps none in a data dir). Tests sharing one
   * database would meet each other's rows, and a console refuses rows sealed under a key it lacks.
   */
  bootOnPostgres(serverUrl: string): Promise<BootedConsole>;
  /** Closes the database; the data dir stays for the next boot of the same test. */
  shutDown(): Promise<void>;
  readonly booted: BootedConsole | undefined;
}

/**
 * Makes a new data dir start from the run's migrated template (lib/server/testing/pglite-template.ts)
 * instead of an empty one: the boot then skips initdb and finds every migration applied, and is
 * otherwise the same boot (keys, owner, settings are made per data dir as before). Without the
 * template (a file run outside the unit project) the boot makes its database as production does.
 */
export async function seedDataDir(dataDir: string): Promise<void> {
  const template = inject("pgliteTemplateDir");
  const target = path.join(dataDir, "pglite");
  if (!template || existsSync(target)) return;
  await cp(template, target, { recursive: true });
}

/** A new data dir in the system's temp dir, seeded from the template. */
export async function newDataDir(label: string): Promise<string> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `console-${label}-`));
  await seedDataDir(dataDir);
  return dataDir;
}

export function setUpEmbeddedConsole(label: string): EmbeddedConsole {
  let booted: BootedConsole | undefined;
  let dataDir: string | undefined;
  let database: ThrowAwayDatabase | undefined;
  const shutDown = async () => {
    await booted?.close();
    booted = undefined;
  };
  afterEach(async () => {
    await shutDown();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    dataDir = undefined;
    await database?.drop();
    database = undefined;
  });
  const boot = async (env: Record<string, string> = {}, options: { allowMissingKeys?: boolean } = {}) => {
    dataDir ??= await newDataDir(label);
    booted = await bootConsole(loadEnv({ CONSOLE_DATA_DIR: dataDir, ...env }), undefined, options);
    return booted;
  };
  return {
    boot,
    async bootOnPostgres(serverUrl) {
      database ??= await createThrowAwayDatabase(serverUrl, "console_unit");
      return boot({ DATABASE_URL: database.url, CONSOLE_MASTER_KEY: randomBytes(32).toString("base64"), AUTH_SECRET: randomBytes(32).toString("base64url") });
    },
    shutDown,
    get booted() {
      return booted;
    },
  };
}

/** The ConsoleError a service call was refused with (the test fails if it was not refused). */
export async function refusal(promise: Promise<unknown>): Promise<ConsoleError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConsoleError);
  return error as ConsoleError;
}
