// A console process of a test's own, for settings the shared servers must not have (a rate limit
// low enough to reach in a test, other master keys). It runs the build the shared server made
// (scripts/start.ts --no-build). On PostgreSQL it joins the suite's test database, as
// scripts/test.ts's second process does, unless the test gives it a database of its own; on the
// embedded database, which one process owns, it gets a data dir of its own (or the test's).
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { inject } from "vitest";
import { sleep, spawnConsoleProcess, stopScript, TEST_PRIVATE_ENDPOINTS, waitForReady, type ConsoleProcess } from "../../scripts/console-process";
import { findFreePort } from "../../scripts/postgres";
import { createThrowAwayDatabase, type ThrowAwayDatabase } from "@/lib/server/testing/postgres-database";

const READY_TIMEOUT_MS = 120_000;
/** A refused start fails at boot, before Next loads: seconds, not minutes. */
const REFUSAL_TIMEOUT_MS = 90_000;

export interface OwnConsole {
  url: string;
  /**
   * The owner key of a console with a database of its own; null when it shares the suite's
   * database, whose owner key is the suite's (CONSOLE_TEST_API_KEY).
   */
  ownerKey: string | null;
  /** Its output so far (a server log: never a secret). */
  logPath: string;
  /** The process itself, for a test that signals it and watches how it exits. */
  process: ConsoleProcess;
  stop(): Promise<void>;
}

/** Where an own console keeps its data, when not in a fresh place of its own. */
export interface OwnPlacement {
  /** An embedded data dir the test owns and keeps across restarts (not removed at stop). */
  dataDir?: string;
  /** A PostgreSQL database the test made (see createOwnDatabase), instead of the suite's. */
  databaseUrl?: string;
}

/** The suite's PostgreSQL test database, or undefined in embedded mode (see scripts/test.ts). */
export function sharedDatabaseUrl(): string | undefined {
  return process.env.CONSOLE_TEST_DATABASE_URL || undefined;
}

/**
 * Starts an embedded data dir from the run's migrated template (lib/server/testing/pglite-template.ts),
 * as the unit tests do: initdb and every migration are most of an embedded console's start, and the
 * suite's own consoles already prove a start on an empty data dir. Keys, owner key and settings are
 * still made by the console's own first start, since the template holds nothing but the schema.
 */
function seedDataDir(dataDir: string): void {
  const template = inject("pgliteTemplateDir");
  const target = join(dataDir, "pglite");
  if (template && !existsSync(target)) cpSync(template, target, { recursive: true });
}

interface Spawned {
  server: ConsoleProcess;
  ownerKey: string | null;
  stop(): Promise<void>;
}

async function spawnOwnConsole(settings: Record<string, string>, placement: OwnPlacement): Promise<Spawned> {
  const databaseUrl = placement.databaseUrl ?? sharedDatabaseUrl();
  const sharesSuiteDatabase = databaseUrl !== undefined && databaseUrl === sharedDatabaseUrl();
  // Its log and (embedded, unless the test gives one) its data dir; removed when it stops.
  const dir = mkdtempSync(join(tmpdir(), "console-own-"));
  const ownerKey = sharesSuiteDatabase ? null : (settings.CONSOLE_BOOTSTRAP_API_KEY ?? `s0_${randomBytes(32).toString("base64url")}`);
  // The suite's database holds rows sealed under the suite's key: a console joining it needs that
  // key, or it refuses to start (lib/server/master-keys.ts).
  const masterKey = sharesSuiteDatabase ? process.env.CONSOLE_TEST_MASTER_KEY : undefined;
  if (sharesSuiteDatabase && !masterKey) throw new Error("CONSOLE_TEST_MASTER_KEY is not set: run the api project through scripts/test.ts");
  const dataDir = placement.dataDir ?? join(dir, "data");
  if (!databaseUrl) seedDataDir(dataDir);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CONSOLE_DATA_DIR: dataDir,
    CONSOLE_MASTER_KEY: masterKey ?? randomBytes(32).toString("base64"),
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    NEXT_TELEMETRY_DISABLED: "1",
    // As the suite's consoles (scripts/test.ts): the stub endpoints listen on loopback.
    CONSOLE_PRIVATE_ENDPOINTS: TEST_PRIVATE_ENDPOINTS,
    ...settings,
  };
  delete env.ADMIN_EMAIL;
  delete env.ADMIN_PASSWORD;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else delete env.DATABASE_URL;
  if (ownerKey) env.CONSOLE_BOOTSTRAP_API_KEY = ownerKey;
  // An empty value means "unset" (lib/env.ts): a test drops a variable by passing "".
  for (const [name, value] of Object.entries(settings)) if (value === "") delete env[name];

  const logPath = join(dir, "console.log");
  const server = spawnConsoleProcess({ env, port: await findFreePort(), logPath });
  const stop = async () => {
    await stopScript(server);
    rmSync(dir, { recursive: true, force: true });
  };
  return { server, ownerKey, stop };
}

export async function startOwnConsole(settings: Record<string, string>, placement: OwnPlacement = {}): Promise<OwnConsole> {
  const { server, ownerKey, stop } = await spawnOwnConsole(settings, placement);
  try {
    await waitForReady(server, READY_TIMEOUT_MS);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: server.url, ownerKey, logPath: server.logPath, process: server, stop };
}

/**
 * Starts a console that must refuse to start: resolves with its output once it exited non-zero,
 * and throws if it became ready (or neither within the timeout).
 */
export async function expectStartRefused(settings: Record<string, string>, placement: OwnPlacement = {}): Promise<string> {
  const { server, stop } = await spawnOwnConsole(settings, placement);
  let timer: NodeJS.Timeout | undefined;
  try {
    const outcome = await Promise.race([
      server.exit,
      server.ready.then(() => "ready" as const),
      new Promise<"timeout">((resolveTimeout) => (timer = setTimeout(() => resolveTimeout("timeout"), REFUSAL_TIMEOUT_MS))),
    ]);
    // Its last lines are complete once its output has closed.
    await Promise.race([server.closed, sleep(5_000)]);
    const output = server.recentLines.join("\n");
    if (outcome === "ready" || outcome === "timeout" || outcome === 0) {
      throw new Error(
        `expected the console to refuse to start, but it ${outcome === "ready" ? "started" : outcome === "timeout" ? "neither started nor exited" : "exited with 0"}:\n${output}`,
      );
    }
    return output;
  } finally {
    clearTimeout(timer);
    await stop();
  }
}

/** A PostgreSQL database of the test's own on the suite's server, for what must not touch the suite's rows. */
export async function createOwnDatabase(): Promise<ThrowAwayDatabase> {
  const shared = sharedDatabaseUrl();
  if (!shared) throw new Error("createOwnDatabase needs the suite's PostgreSQL (CONSOLE_TEST_DATABASE_URL)");
  return createThrowAwayDatabase(shared, "console_own");
}

/** A place for a console of a test's own: its own PostgreSQL database, or its own embedded data dir. */
export async function ownPlacement(): Promise<{ placement: OwnPlacement; ownerKey: string; release(): Promise<void> }> {
  // A fresh owner key for the consoles started on this placement to bootstrap with.
  const ownerKey = `s0_${randomBytes(32).toString("base64url")}`;
  if (sharedDatabaseUrl()) {
    const database = await createOwnDatabase();
    return { placement: { databaseUrl: database.url }, ownerKey, release: () => database.drop() };
  }
  const dir = mkdtempSync(join(tmpdir(), "console-placement-"));
  seedDataDir(join(dir, "data"));
  return { placement: { dataDir: join(dir, "data") }, ownerKey, release: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs one statement on the embedded database (the console stopped) or on PostgreSQL. */
export async function sql<T>(placement: OwnPlacement, text: string, params: unknown[] = []): Promise<T[]> {
  if (placement.databaseUrl) {
    const connection = new pg.Client({ connectionString: placement.databaseUrl });
    await connection.connect();
    try {
      return (await connection.query(text, params)).rows as T[];
    } finally {
      await connection.end();
    }
  }
  const database = new PGlite(join(placement.dataDir ?? "", "pglite"));
  try {
    return (await database.query<T>(text, params)).rows;
  } finally {
    await database.close();
  }
}
