// `npm test`: the lint (types, ESLint with the import-direction rule, Prettier), unit tests, then a real console on a fresh database driven over HTTP (vitest `api`
// project) and through a browser (Playwright), then the secret canary over the server logs and every
// text column of the database. Embedded PGlite by default; PostgreSQL when DATABASE_URL is set.
//
// PostgreSQL mode starts a second console process on the same test database and gives the suites its
// URL in CONSOLE_TEST_URL_2, so the races in e2e/api/concurrency.test.ts run across processes (SPEC
// §4). Embedded mode instead checks that a second process is refused the PGlite data directory.
//
//   npm test                       everything
//   npm test -- --only api         one suite (lint | unit | api | ui; repeat or comma-separate for more)
//   npm test -- --only api -- vaults   a file filter passed on to vitest/Playwright
//   KEEP_TEST_DATA=1 npm test      keep the temp data dir (and the PostgreSQL test database)
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import {
  logTail,
  signalGroup,
  spawnConsoleProcess,
  startOutcome,
  STOP_TIMEOUT_MS,
  stopScript,
  TEST_PRIVATE_ENDPOINTS,
  waitForReady,
  type ConsoleProcess,
} from "./console-process";
import { buildIfStale } from "./build-if-stale";
import { findFreePort } from "./postgres";
import { createEgressCa } from "@/lib/boundary/egress-ca";
import { createThrowAwayDatabase, type ThrowAwayDatabase } from "@/lib/server/testing/postgres-database";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const READY_TIMEOUT_MS = 180_000;
/** A second start on a locked data dir fails at boot, before Next loads: seconds, not minutes. */
const REFUSAL_TIMEOUT_MS = 60_000;
const LOCK_REFUSAL = "in use by another console process";
/** Every secret the suites create contains this marker; it must never reach the log or a column. */
const CANARY = "CANARYSECRET";
/**
 * The suite's consoles run with every debug switch on, so the canary also proves that no debug
 * setting prints a secret (SPEC §9): Node's own (NODE_DEBUG), the libraries' (DEBUG) and the console's own log at debug.
 */
const DEBUG_SETTINGS = { NODE_DEBUG: "http,net,tls", DEBUG: "*", CONSOLE_LOG_LEVEL: "debug" };

type Suite = "lint" | "unit" | "api" | "ui";
const SUITES: readonly Suite[] = ["lint", "unit", "api", "ui"];

interface Options {
  suites: Set<Suite>;
  filters: string[];
}

type StepStatus = "passed" | "failed" | "skipped";

interface StepResult {
  name: string;
  status: StepStatus;
  seconds: number;
  note: string;
}

type Server = ConsoleProcess;

interface Run {
  dir: string;
  dataDir: string;
  apiKey: string;
  masterKey: string;
  /** The admin UI's first owner (ADMIN_EMAIL/ADMIN_PASSWORD); the password carries the canary marker. */
  adminEmail: string;
  adminPassword: string;
  /** One session secret for every process, so a cookie from one is accepted by the other. */
  authSecret: string;
  database: ThrowAwayDatabase | null;
  /** The CA the suite's https stubs sign their leaves with, which every console trusts (NODE_EXTRA_CA_CERTS). */
  upstreamCa: { jsonPath: string; pemPath: string };
  /** The egress proxy URL of each console process, in the order of `servers`. */
  egressUrls: string[];
  /** Every console process started, first one first; each is stopped by the stop step or cleanup. */
  servers: Server[];
}

type Row = Record<string, unknown>;

/** The two databases the canary may have to read, behind the one method it needs. */
interface SqlReader {
  query<T extends Row>(sql: string, params?: string[]): Promise<T[]>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Arguments

function parseArgs(argv: string[]): Options {
  const suites = new Set<Suite>();
  const filters: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] ?? "";
    if (arg === "--") {
      filters.push(...argv.slice(index + 1));
      break;
    }
    if (arg === "--only" || arg.startsWith("--only=")) {
      const value = arg === "--only" ? (argv[++index] ?? "") : arg.slice("--only=".length);
      for (const name of value.split(",")) suites.add(toSuite(name));
    } else if (arg.startsWith("-")) {
      throw new Error(`unknown option ${arg} (usage: tsx scripts/test.ts [--only lint|unit|api|ui] [-- filter…])`);
    } else {
      filters.push(arg);
    }
  }
  return { suites: suites.size > 0 ? suites : new Set(SUITES), filters };
}

function toSuite(name: string): Suite {
  const suite = SUITES.find((candidate) => candidate === name);
  if (!suite) throw new Error(`--only takes lint, unit, api or ui, not "${name}"`);
  return suite;
}

// ---------------------------------------------------------------------------------------------
// Steps and the summary

async function timed(name: string, body: () => Promise<string | void>): Promise<StepResult> {
  const started = Date.now();
  banner(name);
  try {
    const note = (await body()) ?? "";
    return { name, status: "passed", seconds: (Date.now() - started) / 1000, note };
  } catch (error) {
    const note = error instanceof Error ? error.message : String(error);
    console.error(`\n[test] ${name} failed: ${note}`);
    return { name, status: "failed", seconds: (Date.now() - started) / 1000, note };
  }
}

function skipped(name: string, note: string): StepResult {
  return { name, status: "skipped", seconds: 0, note };
}

function banner(name: string): void {
  console.log(`\n[test] ── ${name} ${"─".repeat(Math.max(0, 60 - name.length))}`);
}

function printSummary(results: StepResult[]): void {
  banner("summary");
  for (const result of results) {
    const seconds = result.status === "skipped" ? "" : `${result.seconds.toFixed(1)}s`;
    const firstLine = result.note.split("\n")[0] ?? "";
    console.log(`${result.name.padEnd(8)} ${result.status.padEnd(8)} ${seconds.padStart(7)}  ${firstLine}`);
  }
  const passed = results.filter((result) => result.status === "passed").length;
  const failed = results.filter((result) => result.status === "failed").length;
  console.log(`${passed} passed, ${failed} failed`);
}

/** The suite running right now, so that a signal can be passed on to all of it. */
let activeCommand: ChildProcess | null = null;
let interrupted = false;

/** Runs a command with our terminal for output and throws unless it exits 0. It gets its own
 * process group because `npx` does not pass SIGTERM on to the tool it runs: signalling the group
 * is the one way to stop vitest's or Playwright's workers too. */
async function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  if (interrupted) throw new Error("interrupted");
  console.log(`[test] $ ${[command, ...args].join(" ")}`);
  const child = spawn(command, args, { cwd: ROOT, env, stdio: "inherit", detached: true });
  activeCommand = child;
  const code = await new Promise<number | string>((resolveCode) => {
    child.once("error", (error) => resolveCode(error.message));
    child.once("exit", (exitCode, signal) => resolveCode(exitCode ?? signal ?? "unknown"));
  });
  activeCommand = null;
  if (code !== 0) throw new Error(`${command} ${args[0] ?? ""} exited with ${code}`);
}

// ---------------------------------------------------------------------------------------------
// The run directory and the database

function createRun(): Run {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const dir = join(ROOT, ".tmp", `test-${stamp}-${randomBytes(3).toString("hex")}`);
  const dataDir = join(dir, "data");
  mkdirSync(dataDir, { recursive: true });
  return {
    dir,
    dataDir,
    // Fresh keys per run, so nothing a test sees could have come from a developer's own console.
    masterKey: randomBytes(32).toString("base64"),
    apiKey: `s0_${randomBytes(32).toString("base64url")}`,
    adminEmail: `owner-${randomBytes(4).toString("hex")}@console.test`,
    adminPassword: `owner-${CANARY}-${randomBytes(12).toString("base64url")}`,
    authSecret: randomBytes(32).toString("base64url"),
    database: null,
    upstreamCa: { jsonPath: join(dir, "upstream-ca.json"), pemPath: join(dir, "upstream-ca.pem") },
    egressUrls: [],
    servers: [],
  };
}

/**
 * The https stubs' CA: the egress proxy re-originates TLS with normal verification, so the consoles
 * trust this CA as production consoles trust a private upstream's (NODE_EXTRA_CA_CERTS); the tests
 * read the key to sign leaves for the stubs' loopback addresses.
 */
async function writeUpstreamCa(run: Run): Promise<void> {
  const material = await createEgressCa("Console test upstream CA");
  writeFileSync(run.upstreamCa.pemPath, material.certificatePem);
  writeFileSync(
    run.upstreamCa.jsonPath,
    JSON.stringify({ certificatePem: material.certificatePem, privateKeyPkcs8Base64: material.privateKeyPkcs8.toString("base64") }),
    { mode: 0o600 },
  );
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The database settings the server gets; the test processes get the same so that a test reading
 * DATABASE_URL sees the test database, never the server it was created on. */
function withDatabaseEnv(run: Run, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, CONSOLE_DATA_DIR: run.dataDir };
  if (run.database) env.DATABASE_URL = run.database.url;
  else delete env.DATABASE_URL;
  return env;
}

// ---------------------------------------------------------------------------------------------
// The server

/** server.log for the first process, server-2.log for the second, all in the run directory. */
function serverLogPath(run: Run, index: number): string {
  return join(run.dir, index === 0 ? "server.log" : `server-${index + 1}.log`);
}

/** Starts a console process on the run's database and its own free port, on the build the "build"
 * step made current (--no-build), so its readiness timeout measures the start alone. */
function spawnConsole(run: Run, port: number, egressPort: number, logPath: string): Server {
  if (!existsSync(join(ROOT, "scripts", "start.ts"))) throw new Error("scripts/start.ts does not exist yet");
  const env = withDatabaseEnv(run, {
    ...process.env,
    CONSOLE_MASTER_KEY: run.masterKey,
    CONSOLE_BOOTSTRAP_API_KEY: run.apiKey,
    ADMIN_EMAIL: run.adminEmail,
    ADMIN_PASSWORD: run.adminPassword,
    AUTH_SECRET: run.authSecret,
    NEXT_TELEMETRY_DISABLED: "1",
    ...DEBUG_SETTINGS,
    // The suites' stub endpoints listen on loopback (e2e/api/stub-upstream.ts); five addresses are five hosts to the egress proxy.
    CONSOLE_PRIVATE_ENDPOINTS: TEST_PRIVATE_ENDPOINTS,
    NODE_EXTRA_CA_CERTS: run.upstreamCa.pemPath,
  });
  return spawnConsoleProcess({ env, port, egressPort, logPath });
}

async function startServer(run: Run): Promise<Server> {
  const index = run.servers.length;
  const egressPort = await findFreePort();
  const server = spawnConsole(run, await findFreePort(), egressPort, serverLogPath(run, index));
  run.servers.push(server);
  run.egressUrls.push(`http://127.0.0.1:${egressPort}`);
  const what = index === 0 ? "the console" : `console process ${index + 1} on the same database`;
  console.log(`[test] starting ${what}; log: ${server.logPath}`);
  await waitForReady(server, READY_TIMEOUT_MS);
  return server;
}

/** PGlite is single-process: a second start on the same data dir must be refused at boot with a
 * message that says why, never open the directory (SPEC §10; lib/open-database.ts holds the lock). */
async function expectSecondStartRefused(run: Run): Promise<string> {
  const attempt = spawnConsole(run, await findFreePort(), await findFreePort(), join(run.dir, "refused-start.log"));
  // Listed while it runs, so that a signal's cleanup stops it too.
  run.servers.push(attempt);
  try {
    const outcome = await startOutcome(attempt, REFUSAL_TIMEOUT_MS);
    const output = attempt.recentLines.join("\n");
    const tail = logTail(attempt);
    if (outcome === "ready") throw new Error(`a second console started on the same data dir:\n${tail}`);
    if (outcome === "timeout") {
      throw new Error(`a second console on the same data dir neither failed nor started within ${REFUSAL_TIMEOUT_MS / 1000} s:\n${tail}`);
    }
    if (outcome === 0) throw new Error(`a second console on the same data dir exited with 0:\n${tail}`);
    if (!output.includes(LOCK_REFUSAL)) {
      throw new Error(`a second console exited with ${outcome} without saying the data dir is "${LOCK_REFUSAL}":\n${tail}`);
    }
    return `a second start exited with ${outcome}: data dir ${LOCK_REFUSAL}`;
  } finally {
    await stopScript(attempt);
    run.servers.splice(run.servers.indexOf(attempt), 1);
  }
}

// ---------------------------------------------------------------------------------------------
// Suites

function vitestArgs(project: "unit" | "api", filters: string[]): string[] {
  const args = ["vitest", "run", "--config", "scripts/vitest.config.ts", "--project", project];
  // A filter that matches no file of this project is not a failure of the project.
  return filters.length > 0 ? [...args, "--passWithNoTests", ...filters] : args;
}

/** CONSOLE_TEST_URL_2 is the second process on the same database, empty when there is none. */
function suiteEnv(run: Run, [server, secondServer]: Server[]): NodeJS.ProcessEnv {
  return withDatabaseEnv(run, {
    ...process.env,
    CONSOLE_TEST_URL: server?.url ?? "",
    CONSOLE_TEST_URL_2: secondServer?.url ?? "",
    CONSOLE_TEST_EGRESS_URL: run.egressUrls[0] ?? "",
    CONSOLE_TEST_EGRESS_URL_2: run.egressUrls[1] ?? "",
    CONSOLE_TEST_UPSTREAM_CA: run.upstreamCa.jsonPath,
    CONSOLE_TEST_API_KEY: run.apiKey,
    // A console a test starts on the suite's database needs the key its rows are sealed under.
    CONSOLE_TEST_MASTER_KEY: run.masterKey,
    CONSOLE_TEST_ADMIN_EMAIL: run.adminEmail,
    CONSOLE_TEST_ADMIN_PASSWORD: run.adminPassword,
    CONSOLE_TEST_LOG: server?.logPath ?? "",
    CONSOLE_TEST_DATABASE_URL: run.database?.url ?? "",
    CONSOLE_TEST_DATA_DIR: run.dataDir,
  });
}

function hasUiSpecs(): boolean {
  const dir = join(ROOT, "e2e", "ui");
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).some((path) => path.endsWith(".spec.ts"));
}

function playwrightArgs(filters: string[]): string[] {
  const args = ["playwright", "test", "--config", "e2e/playwright.config.ts"];
  return filters.length > 0 ? [...args, "--pass-with-no-tests", ...filters] : args;
}

// ---------------------------------------------------------------------------------------------
// The secret canary

/** Lines holding any of `secrets`: the canary marker, and the suite's owner key, master key and
 * session secret, which the console is given through the environment and so has no reason ever to
 * print. */
function scanLog(logPath: string, secrets: string[]): { lineCount: number; hitLines: number[] } {
  const text = existsSync(logPath) ? readFileSync(logPath, "utf8") : "";
  const lines = text === "" ? [] : text.replace(/\n$/, "").split("\n");
  const hitLines = lines.flatMap((line, index) => (secrets.some((secret) => line.includes(secret)) ? [index + 1] : []));
  return { lineCount: lines.length, hitLines };
}

/** PGlite keeps its cluster in the data dir itself or, depending on how the server lays it out, in
 * one subdirectory. Opening a directory without PG_VERSION would silently create an empty database
 * and make the scan meaningless, so insist on finding one. */
function findPgliteDir(dataDir: string): string {
  if (existsSync(join(dataDir, "PG_VERSION"))) return dataDir;
  const nested = readdirSync(dataDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dataDir, entry.name, "PG_VERSION")))
    .map((entry) => join(dataDir, entry.name));
  if (nested.length !== 1) throw new Error(`no PGlite database found in ${dataDir}`);
  return nested[0] ?? dataDir;
}

async function openPglite(dir: string): Promise<SqlReader> {
  const db = new PGlite(dir);
  await db.waitReady;
  return {
    query: async <T extends Row>(sql: string, params: string[] = []) => (await db.query<T>(sql, params)).rows,
    close: () => db.close(),
  };
}

async function openPostgres(url: string): Promise<SqlReader> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    query: async <T extends Row>(sql: string, params: string[] = []) => (await client.query<T>(sql, params)).rows,
    close: () => client.end(),
  };
}

type ColumnRow = { table_name: string; column_name: string; udt_name: string };
type CountRow = { n: number };

interface DatabaseScan {
  tablesWithRows: number;
  rowCount: number;
  rowsByTable: Map<string, number>;
  columnCount: number;
  hits: string[];
}

const SCANNED_TYPES = ["text", "varchar", "bpchar", "json", "jsonb", "_text", "_varchar", "bytea"];

/** Casts a column to text so one strpos() covers every type; bytea is included because a
 * "ciphertext" column holding plaintext is exactly the leak this check exists for. */
function columnAsText(column: ColumnRow): string {
  const name = quoteIdent(column.column_name);
  return column.udt_name === "bytea" ? `encode(${name}, 'escape')` : `${name}::text`;
}

async function scanDatabase(reader: SqlReader): Promise<DatabaseScan> {
  const tables = await reader.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const columns = await reader.query<ColumnRow>(
    `SELECT c.table_name, c.column_name, c.udt_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.udt_name = ANY($1::text[])
      ORDER BY c.table_name, c.ordinal_position`,
    [`{${SCANNED_TYPES.join(",")}}`],
  );
  const scan: DatabaseScan = {
    tablesWithRows: 0,
    rowCount: 0,
    rowsByTable: new Map(),
    columnCount: columns.length,
    hits: [],
  };
  for (const { table_name } of tables) {
    const [count] = await reader.query<CountRow>(`SELECT count(*)::int AS n FROM public.${quoteIdent(table_name)}`);
    const rows = count?.n ?? 0;
    scan.rowsByTable.set(table_name, rows);
    scan.rowCount += rows;
    if (rows > 0) scan.tablesWithRows++;
  }
  for (const column of columns) {
    const [count] = await reader.query<CountRow>(
      `SELECT count(*)::int AS n FROM public.${quoteIdent(column.table_name)} WHERE strpos(${columnAsText(column)}, $1) > 0`,
      [CANARY],
    );
    if ((count?.n ?? 0) > 0) scan.hits.push(`${column.table_name}.${column.column_name} (${count?.n} rows)`);
  }
  return scan;
}

async function runCanary(run: Run): Promise<string> {
  const logPaths = run.servers.map((server) => server.logPath);
  const logs = logPaths.map((logPath) => ({ logPath, ...scanLog(logPath, [CANARY, run.apiKey, run.masterKey, run.authSecret]) }));
  const reader = run.database ? await openPostgres(run.database.url) : await openPglite(findPgliteDir(run.dataDir));
  let scan: DatabaseScan;
  try {
    scan = await scanDatabase(reader);
  } finally {
    await reader.close();
  }
  const problems: string[] = [];
  for (const log of logs) {
    // Where only: printing the matching line or value would print the secret.
    if (log.hitLines.length > 0)
      problems.push(`${CANARY}, the owner key, the master key or the session secret in ${log.logPath} at lines ${log.hitLines.join(", ")}`);
    if (log.lineCount === 0) problems.push(`the server log ${log.logPath} is empty, so its scan proved nothing`);
  }
  for (const hit of scan.hits) problems.push(`${CANARY} in column ${hit}`);
  if (logs.length === 0) problems.push("no server log to scan");
  if (scan.tablesWithRows === 0 || scan.columnCount === 0) {
    problems.push("the database has no rows in any text column's table, so the scan proved nothing");
  }
  // The suites always create credentials: without one, the ciphertext columns were never tested.
  if ((scan.rowsByTable.get("vault_credentials") ?? 0) === 0) {
    problems.push("vault_credentials has no rows, so no stored secret was scanned");
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
  const lineCount = logs.reduce((sum, log) => sum + log.lineCount, 0);
  const credentialRows = scan.rowsByTable.get("vault_credentials") ?? 0;
  return (
    `no ${CANARY} in ${lineCount} lines of ${logs.length} server log${logs.length === 1 ? "" : "s"} or ` +
    `${scan.columnCount} columns of ${scan.tablesWithRows} non-empty tables ` +
    `(${scan.rowCount} rows, ${credentialRows} credentials)`
  );
}

// ---------------------------------------------------------------------------------------------
// Putting it together

async function runServerSuites(options: Options, run: Run, results: StepResult[]): Promise<void> {
  if (process.env.DATABASE_URL) {
    run.database = await createThrowAwayDatabase(process.env.DATABASE_URL, "console_test");
    console.log(`[test] PostgreSQL mode: test database ${run.database.name}`);
  } else {
    console.log(`[test] embedded mode: PGlite in ${run.dataDir}`);
  }
  // Its own step, without the start's timeout: a fresh clone's first build on a busy machine takes
  // minutes, and the suites must always test the current code.
  const build = await timed("build", async () => (buildIfStale((line) => console.log(`[test] ${line}`)) ? "built" : "current"));
  results.push(build);
  if (build.status !== "passed") return;
  const start = await timed("server", async () => `ready at ${(await startServer(run)).url}`);
  results.push(start);
  if (run.servers.length === 0) return;
  let ready = start.status === "passed";
  if (ready && run.database) {
    // Several stateless processes on one PostgreSQL is the production shape (SPEC §10); the suites
    // race requests over both to prove the rules live in the database (SPEC §4).
    const second = await timed("server2", async () => `ready at ${(await startServer(run)).url}, same database`);
    results.push(second);
    ready = second.status === "passed";
  } else if (ready) {
    results.push(await timed("lock", () => expectSecondStartRefused(run)));
  }
  if (ready) {
    const env = suiteEnv(run, run.servers);
    if (options.suites.has("api")) {
      results.push(await timed("api", () => runCommand("npx", vitestArgs("api", options.filters), env)));
    }
    if (options.suites.has("ui")) {
      const ui = () => runCommand("npx", playwrightArgs(options.filters), env);
      results.push(hasUiSpecs() ? await timed("ui", ui) : skipped("ui", "no e2e/ui/**/*.spec.ts"));
    }
    results.push(await timed("stop", () => stopServersStep(run.servers)));
  } else {
    // The server steps already show the log tail; how a server that never started ends is no news.
    await Promise.all(run.servers.map((server) => stopScript(server)));
  }
  const canary = () => runCanary(run);
  results.push(start.status === "passed" ? await timed("canary", canary) : skipped("canary", "the server never became ready"));
}

/** Stops every console process at once; each must close cleanly on SIGTERM. */
async function stopServersStep(servers: Server[]): Promise<string> {
  const endings = await Promise.all(servers.map((server) => stopScript(server)));
  const problems: string[] = [];
  endings.forEach((ending, index) => {
    const name = `the console at ${servers[index]?.url ?? "?"}`;
    // The contract is a clean close on SIGTERM; anything else can leave PGlite needing recovery.
    if (ending === "timeout") problems.push(`${name} did not exit within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM`);
    else if (![0, 143, "SIGTERM"].includes(ending)) problems.push(`${name} exited with ${ending} on SIGTERM`);
  });
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return `${servers.length === 1 ? "exited" : `${servers.length} processes exited`} with ${endings.join(", ")}`;
}

let cleanupDone: Promise<void> | null = null;
/** The run whose server, database and files a signal must clean up; null before it exists. */
let currentRun: Run | null = null;

/** Runs once, from the normal end or a signal: the server, the database, the files. */
function cleanup(run: Run, failed: boolean): Promise<void> {
  cleanupDone ??= (async () => {
    // A no-op for processes the stop step already stopped: stopScript() runs once per process.
    await Promise.all(run.servers.map((server) => stopScript(server).catch(() => undefined)));
    const keep = process.env.KEEP_TEST_DATA === "1";
    if (run.database && !keep) {
      await run.database.drop().catch((error: unknown) => {
        console.error(`[test] could not drop ${run.database?.name}: ${String(error)}`);
      });
    }
    if (keep) {
      console.log(`[test] KEEP_TEST_DATA=1: kept ${run.dir}${run.database ? ` and ${run.database.url}` : ""}`);
    } else if (failed) {
      // The log is what explains a failure; the data dir is large and rarely needed.
      rmSync(run.dataDir, { recursive: true, force: true });
      for (const { logPath } of run.servers) {
        if (existsSync(logPath)) console.log(`[test] server log kept at ${logPath}`);
      }
    } else {
      rmSync(run.dir, { recursive: true, force: true });
    }
  })();
  return cleanupDone;
}

/** Suites and the server run in process groups of their own, which Ctrl-C does not reach: this
 * passes the signal on and cleans up before leaving. */
function exitOnSignals(): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      console.error(`\n[test] ${signal}: stopping and cleaning up`);
      interrupted = true;
      if (activeCommand?.pid !== undefined) signalGroup(activeCommand.pid, signal);
      const done = currentRun ? cleanup(currentRun, true) : Promise.resolve();
      void done.finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    });
  }
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const results: StepResult[] = [];
  exitOnSignals();
  if (options.suites.has("lint")) {
    results.push(await timed("lint", () => runCommand("npm", ["run", "--silent", "lint"], process.env)));
  }
  if (options.suites.has("unit")) {
    results.push(await timed("unit", () => runCommand("npx", vitestArgs("unit", options.filters), process.env)));
  }
  if (options.suites.has("api") || options.suites.has("ui")) {
    const run = createRun();
    currentRun = run;
    try {
      await writeUpstreamCa(run);
      await runServerSuites(options, run, results);
    } catch (error) {
      results.push({ name: "setup", status: "failed", seconds: 0, note: error instanceof Error ? error.message : String(error) });
    } finally {
      await cleanup(
        run,
        results.some((result) => result.status === "failed"),
      );
    }
  }
  printSummary(results);
  return results.some((result) => result.status === "failed") ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[test] ${error instanceof Error ? error.message : String(error)}`);
    console.log("0 passed, 1 failed");
    process.exit(1);
  },
);
