// A throw-away PostgreSQL cluster for CI and benchmarks: its own data directory, its own port, gone
// after stop(). Nothing here touches a cluster the machine already runs.
//
//   import { startPostgres } from "./postgres.ts";   const { url, stop } = await startPostgres();
//   tsx scripts/postgres.ts run -- npm test          (runs the command with DATABASE_URL set)
import { execFileSync, spawn, type SpawnOptions } from "node:child_process";
import { accessSync, chownSync, constants, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { constants as osConstants, tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";

export interface PostgresCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres — trust auth, so no password. */
  url: string;
  /** Stops the server and deletes its files. Safe to call more than once. */
  stop(): Promise<void>;
}

interface PostgresBinaries {
  initdb: string;
  pgCtl: string;
}

interface RunAs {
  /** The OS user the cluster's processes run as; null means "the current user". */
  user: string | null;
}

const SUPERUSER = "postgres";
const READY_TIMEOUT_MS = 60_000;

/** Asks the kernel for a free loopback port. Another process could take it before we bind it,
 * which is acceptable for test runs on one machine. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port > 0 ? resolvePort(port) : reject(new Error("no free port"))));
    });
  });
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Other installed majors, newest first: Debian releases after bookworm ship a newer server, and a
 * CI image that installs `postgresql` should still work, just on that version. */
function otherDebianMajors(): string[] {
  try {
    return readdirSync("/usr/lib/postgresql")
      .filter((name) => /^\d+$/.test(name) && name !== "15")
      .sort((a, b) => Number(b) - Number(a))
      .map((major) => `/usr/lib/postgresql/${major}/bin`);
  } catch {
    return [];
  }
}

export function findPostgresBinaries(): PostgresBinaries | null {
  const pathDirs = (process.env.PATH ?? "").split(delimiter).filter(Boolean);
  const candidates = ["/usr/lib/postgresql/15/bin", "/usr/local/bin", ...pathDirs, ...otherDebianMajors()];
  for (const dir of candidates) {
    const initdb = join(dir, "initdb");
    const pgCtl = join(dir, "pg_ctl");
    if (isExecutable(initdb) && isExecutable(pgCtl)) return { initdb, pgCtl };
  }
  return null;
}

/** Single-quotes a word for /bin/sh; `su -c` takes one command string, not an argument list. */
function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Runs a program to completion, as the cluster's OS user, and rejects with its output on failure. */
async function run(runAs: RunAs, file: string, args: string[]): Promise<void> {
  const [command, commandArgs] = runAs.user ? ["su", [runAs.user, "-s", "/bin/sh", "-c", [file, ...args].map(shellQuote).join(" ")]] : [file, args];
  const options: SpawnOptions = { stdio: ["ignore", "pipe", "pipe"] };
  await new Promise<void>((resolveRun, reject) => {
    const child = spawn(command, commandArgs, options);
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolveRun() : reject(new Error(`${file} ${args.join(" ")} exited ${code}\n${output.trim()}`))));
  });
}

function idOf(user: string, flag: "-u" | "-g"): number {
  return Number(execFileSync("id", [flag, user], { encoding: "utf8" }).trim());
}

/** initdb refuses to run as root, so under root the cluster belongs to the `postgres` user and the
 * directory it lives in must be that user's. */
function makeClusterDir(): { baseDir: string; runAs: RunAs } {
  const baseDir = mkdtempSync(join(tmpdir(), "console-pg-"));
  mkdirSync(join(baseDir, "sock"));
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot) return { baseDir, runAs: { user: null } };
  const uid = idOf(SUPERUSER, "-u");
  const gid = idOf(SUPERUSER, "-g");
  chownSync(baseDir, uid, gid);
  chownSync(join(baseDir, "sock"), uid, gid);
  return { baseDir, runAs: { user: SUPERUSER } };
}

async function waitUntilAccepting(url: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query("select 1");
      return;
    } catch (error) {
      lastError = error;
      await new Promise((wake) => setTimeout(wake, 200));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(`PostgreSQL did not accept connections at ${url}: ${String(lastError)}`);
}

export async function startPostgres(): Promise<PostgresCluster> {
  const binaries = findPostgresBinaries();
  if (!binaries) {
    throw new Error("initdb/pg_ctl not found (looked in /usr/lib/postgresql/*/bin, /usr/local/bin, PATH); apt-get install -y postgresql");
  }
  const { baseDir, runAs } = makeClusterDir();
  const dataDir = join(baseDir, "data");
  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopped ??= run(runAs, binaries.pgCtl, ["-D", dataDir, "-m", "fast", "-w", "stop"])
      .catch(() => undefined)
      .finally(() => rmSync(baseDir, { recursive: true, force: true })));

  try {
    // --no-sync: the cluster is thrown away, so flushing initdb's files to disk only costs time.
    await run(runAs, binaries.initdb, ["-D", dataDir, "--auth=trust", "-U", SUPERUSER, "-E", "UTF8", "--no-sync"]);
    const port = await findFreePort();
    const serverOptions = `-p ${port} -k ${shellQuote(join(baseDir, "sock"))} -c listen_addresses=127.0.0.1`;
    await run(runAs, binaries.pgCtl, ["-D", dataDir, "-l", join(baseDir, "server.log"), "-o", serverOptions, "-w", "start"]);
    const url = `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`;
    await waitUntilAccepting(url);
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Runs one command with the cluster's URL in DATABASE_URL and resolves with its exit code. */
async function runWithDatabase(command: string, args: string[], url: string): Promise<number> {
  const child = spawn(command, args, { stdio: "inherit", env: { ...process.env, DATABASE_URL: url } });
  // Ctrl-C reaches the child through the terminal; we stay alive until it has exited so that the
  // cluster is still stopped. A SIGTERM sent to us alone (a CI timeout) is passed on for the same
  // reason: the command must not outlive the cluster it uses.
  process.on("SIGINT", () => undefined);
  process.on("SIGTERM", () => child.kill("SIGTERM"));
  return new Promise((resolveCode) => {
    child.once("error", (error) => {
      console.error(`postgres.ts: cannot run ${command}: ${error.message}`);
      resolveCode(127);
    });
    child.once("exit", (code, signal) => resolveCode(code ?? 128 + (signal ? osConstants.signals[signal] : 0)));
  });
}

async function main(argv: string[]): Promise<number> {
  const separator = argv.indexOf("--");
  const [command, ...args] = separator >= 0 ? argv.slice(separator + 1) : [];
  if (argv[0] !== "run" || !command) {
    console.error("usage: tsx scripts/postgres.ts run -- <command> [args…]");
    return 2;
  }
  const cluster = await startPostgres();
  console.error(`postgres.ts: throw-away cluster at ${cluster.url}`);
  try {
    return await runWithDatabase(command, args, cluster.url);
  } finally {
    await cluster.stop();
    console.error("postgres.ts: cluster stopped and removed");
  }
}

const invokedPath = process.argv[1];
if (invokedPath && import.meta.url === pathToFileURL(resolve(invokedPath)).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`postgres.ts: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
