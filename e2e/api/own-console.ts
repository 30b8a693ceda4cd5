// A console process of a test's own, for settings the shared servers must not have (a rate limit
// low enough to reach in a test). It runs the build the shared server made (scripts/start.ts
// --no-build). On PostgreSQL it joins the suite's test database, as scripts/test.ts's second
// process does; on the embedded database, which one process owns, it gets a data dir of its own.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { findFreePort } from "../../scripts/postgres";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const READY_LINE = /Console ready at (http:\/\/\S+)/;
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;
const OUTPUT_TAIL_LINES = 40;
const OUTPUT_KEPT_CHARS = 20_000;

export interface OwnConsole {
  url: string;
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

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

export async function startOwnConsole(settings: Record<string, string>): Promise<OwnConsole> {
  const databaseUrl = sharedDatabaseUrl();
  const dataDir = mkdtempSync(join(tmpdir(), "console-own-"));
  const ownerKey = databaseUrl ? null : `s0_${randomBytes(32).toString("base64url")}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: "127.0.0.1",
    PORT: String(await findFreePort()),
    CONSOLE_DATA_DIR: dataDir,
    CONSOLE_MASTER_KEY: randomBytes(32).toString("base64"),
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    NEXT_TELEMETRY_DISABLED: "1",
    ...settings,
  };
  delete env.ADMIN_EMAIL;
  delete env.ADMIN_PASSWORD;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else delete env.DATABASE_URL;
  if (ownerKey) env.CONSOLE_BOOTSTRAP_API_KEY = ownerKey;

  // Detached, so that stopping it reaches tsx's child too.
  const child = spawn(join(ROOT, "node_modules", ".bin", "tsx"), ["scripts/start.ts", "--no-build"], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<void>((resolveExit) => child.once("exit", () => resolveExit()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => fail(`did not start within ${READY_TIMEOUT_MS / 1000} s`), READY_TIMEOUT_MS);
    function fail(why: string): void {
      clearTimeout(timer);
      const tail = output.split("\n").slice(-OUTPUT_TAIL_LINES).join("\n");
      reject(new Error(`a console of the test's own ${why}; its last lines:\n${tail}`));
    }
    for (const stream of [child.stdout, child.stderr]) {
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => {
        output = (output + chunk).slice(-OUTPUT_KEPT_CHARS);
        const ready = READY_LINE.exec(output);
        if (ready?.[1]) {
          clearTimeout(timer);
          resolveUrl(ready[1]);
        }
      });
    }
    void exited.then(() => fail(`exited with ${child.exitCode ?? child.signalCode}`));
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });

  async function stop(): Promise<void> {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      signalGroup(child.pid, "SIGTERM");
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((wake) => (timer = setTimeout(wake, STOP_TIMEOUT_MS)))]);
      clearTimeout(timer);
      signalGroup(child.pid, "SIGKILL");
    }
    rmSync(dataDir, { recursive: true, force: true });
  }

  return { url, ownerKey, stop };
}
