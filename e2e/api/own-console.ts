// A console process of a test's own, for settings the shared servers must not have (a rate limit
// low enough to reach in a test). It runs the build the shared server made (scripts/start.ts
// --no-build). On PostgreSQL it joins the suite's test database, as scripts/test.ts's second
// process does; on the embedded database, which one process owns, it gets a data dir of its own.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnConsoleProcess, stopConsoleProcess, waitForReady } from "../../scripts/console-process";
import { findFreePort } from "../../scripts/postgres";

const READY_TIMEOUT_MS = 120_000;

export interface OwnConsole {
  url: string;
  /** Its stdout and stderr, for tests that check what it printed (removed when it stops). */
  logPath: string;
  /**
   * The owner key of a console with a database of its own (embedded); null when it shares the
   * suite's database, whose owner key is the suite's (CONSOLE_TEST_API_KEY).
   */
  ownerKey: string | null;
  stop(): Promise<void>;
}

/** The suite's PostgreSQL test database, or undefined in embedded mode (see scripts/test.ts). */
export function sharedDatabaseUrl(): string | undefined {
  return process.env.CONSOLE_TEST_DATABASE_URL || undefined;
}

export async function startOwnConsole(settings: Record<string, string>): Promise<OwnConsole> {
  const databaseUrl = sharedDatabaseUrl();
  // Its data dir (embedded) and its log; removed when it stops.
  const dir = mkdtempSync(join(tmpdir(), "console-own-"));
  const ownerKey = databaseUrl ? null : `s0_${randomBytes(32).toString("base64url")}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CONSOLE_DATA_DIR: join(dir, "data"),
    CONSOLE_MASTER_KEY: randomBytes(32).toString("base64"),
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    NEXT_TELEMETRY_DISABLED: "1",
    // As the suite's consoles (scripts/test.ts): the stub model endpoints listen on loopback.
    CONSOLE_PRIVATE_ENDPOINTS: "127.0.0.1",
    ...settings,
  };
  delete env.ADMIN_EMAIL;
  delete env.ADMIN_PASSWORD;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else delete env.DATABASE_URL;
  if (ownerKey) env.CONSOLE_BOOTSTRAP_API_KEY = ownerKey;

  const logPath = join(dir, "console.log");
  const server = spawnConsoleProcess({ env, port: await findFreePort(), logPath, build: false });
  const stop = async () => {
    await stopConsoleProcess(server);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForReady(server, READY_TIMEOUT_MS);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: server.url, logPath, ownerKey, stop };
}
