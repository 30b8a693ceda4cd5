// The benchmark behind `npm run bench` (started by bench/run.ts): the list and create throughput of the console on PGlite and on PostgreSQL, and
// what Next costs on top of the same handler served by bare node:http. For each database:
//
//   1. seed 10,000 vaults (bench/seed.ts, in a child that owns the database while it runs);
//   2. start the real server (scripts/start.ts --no-build) and measure GET /v1/vaults?limit=20,
//      the same list 200 pages deep, and credential creates, at 32 concurrent connections;
//      then, on the same server, the credential boundary against a stub upstream called directly
//      (bench/boundary.ts, on its own port and thread): added latency per request, time to first
//      streamed byte, buffering, and the same door on the console's port against it;
//      and the egress proxy against https stubs called directly over TLS (bench/egress.ts): the
//      same for an intercepted host, new-connection cost, and a tunnelled host; and a session's
//      turns through the official SDK against the Agent SDK's query() run directly (bench/sessions.ts):
//      events.send → first streamed agent.message, minus the same turn direct, and the stream's
//      delivery lag;
//   3. meanwhile, for the lists, start bench/bare-server.ts beside it on the same database (PGlite:
//      a copy of the seeded data dir) and measure the two lists on both servers in interleaved runs;
//   4. (after-writes) start a server on an empty database of its own, create 10,000 vaults through
//      the API at 32 connections, and measure page 1 at once, without a restart: what a console
//      serves right after ordinary use, before any statistics could catch up;
//      With the lists (or BENCH_PARTS=creates): the signed-in audit log page at the seeder's 10,000
//      audit entries (bench/audit-page.ts), before the creates add theirs;
//   5. print the numbers against the aims of the issues, with the server's peak RSS at idle, under
//      the list load and under the boundary load.
//
// Aims that are missed are reported, not failed: the exit code is non-zero only when the run
// itself broke (a child that would not start, requests that errored).
//
//   BENCH_SECONDS=8 BENCH_WARMUP_SECONDS=2   measured time per list (split over the rounds) or for the
//                                             creates, and the unmeasured warm-up before each run
//   BENCH_DATABASES=pglite,postgresql        which databases to run, in that order
//   BENCH_PARTS=lists,boundary,egress,sessions,after-writes which measurements: lists (seeding, the two
//                                             lists, the audit page, creates and the bare handler), the boundary,
//                                             the egress proxy, sessions, the list right after 10,000 API creates;
//                                             also creates (seeding, the audit page and creates alone)
//   BENCH_AUDIT_REQUESTS=40                   measured GETs of the signed-in /audit page (one at a time)
//   BENCH_AFTER_WRITES_VAULTS=10000           how many vaults the after-writes part creates through the API
//   BENCH_CPU_PROF=1                          run the Next servers and the bare handler with --cpu-prof and print each profile's
//                                             top functions by self time (files kept with KEEP_BENCH_DATA=1)
//   BENCH_SESSION_TURNS=20                    measured follow-up turns per side in the sessions part (after a warm-up)
//   BENCH_SESSION_FIRST_TURNS=8               measured first turns per side (each a new session)
//   BENCH_ANALYZE_PGLITE=1                    ANALYZE the PGlite database after seeding too (PostgreSQL
//                                             always is: its autovacuum would within a minute; by default
//                                             PGlite's comes from the console's own maintenance, as in use)
//   KEEP_BENCH_DATA=1                         keep the temp dir (data, logs) for a look afterwards
import { randomBytes } from "node:crypto";
import pg from "pg";
import { z } from "zod";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createEgressCa, type EgressCaMaterial } from "@/lib/boundary/egress-ca";
import { BETA_HEADER, BETA_VERSION } from "@/lib/http/headers";
import { buildIfStale } from "../scripts/build-if-stale";
import { logTail, spawnScript, STOP_TIMEOUT_MS, stopScript, waitForLine, type ScriptOptions, type ScriptProcess } from "../scripts/console-process";
import { findFreePort, findPostgresBinaries, startPostgres, type PostgresCluster } from "../scripts/postgres";
import { machineBusyFraction, postgresServerCpuMs, processGroupCpuMs } from "./cpu";
import { peakRssKb, sampleRss, type RssSampler } from "./memory";
import { profileFiles, summarizeProfile } from "./profile-summary";
import { measureAuditPage, type PageTimings } from "./audit-page";
import { measureBoundary } from "./boundary";
import type { Comparison } from "./compare";
import { INTERCEPTED_HOST, measureEgress, TUNNELLED_HOST, type EgressResult } from "./egress";
import { firstTurnsFromEnv, measureSessions, sessionTurnsFromEnv, type SessionsResult } from "./sessions";
import { combineLoads, runLoad, type LoadRequest, type LoadResult } from "./load";
import { BARE_READY_MARKER, SEED_DONE_MARKER } from "./markers";
import { atLeast, atMost, comparisonFailures, comparisonRows, egressRows, fmt, printTable, sessionRows, type Row } from "./report";

const VAULT_COUNT = 10_000;
const CONCURRENCY = 32;
const PAGE_LIMIT = 20;
const DEEP_PAGE = 200;
const MEASURE_MS = secondsFromEnv("BENCH_SECONDS", 8) * 1000;
const WARMUP_MS = secondsFromEnv("BENCH_WARMUP_SECONDS", 2) * 1000;
/** Before a server's first measurement: without it, whichever list is measured first pays for the JIT. */
const SERVER_WARMUP_MS = 3_000;
/** Page 1 and the deep page are measured in alternating rounds: a server still speeding up (Next's
 * bundles take a while to reach optimized code) would otherwise favour whichever list came last. */
const ROUNDS = 2;
/** Per load run; far above what the window allows at the rates seen, so it only bounds a runaway. */
const MAX_LIST_REQUESTS = 500_000;
/** Every secret the benchmark creates contains this marker; it must never reach a log. */
const CANARY = "CANARYSECRET";
const READY_TIMEOUT_MS = 120_000;
/** Seeding measures nothing; on a machine shared with other work it can take minutes. */
const SEED_TIMEOUT_MS = 600_000;
/** The after-writes part's creates end at their count; this only bounds a console far slower than expected. */
const AFTER_WRITES_CREATE_LIMIT_MS = 1_800_000;
const AFTER_WRITES_VAULTS = countFromEnv("BENCH_AFTER_WRITES_VAULTS", VAULT_COUNT);
/** How long the server's memory is sampled at idle, right after it is ready. */
const IDLE_SAMPLE_MS = 2_000;
/** What the bench reads of a server log record: the part of the console that wrote it, and what it said. */
const logRecord = z.object({ component: z.string().optional(), msg: z.string() });

const AIMS = {
  listRequestsPerSecond: 1_000,
  listP99Ms: 50,
  deepToFirstPage: 1.2,
  frameworkOverhead: 1.5,
  /** Issue 5: what the boundary may add to a model call at p50. */
  boundaryAddedP50Ms: 2,
  /** Issue 14: the boundary at 8 connections, against the stub called directly. */
  boundaryConcurrent: { share: 0.5, addedP99Ms: 2 },
  /** Issue 11: what the egress proxy may add on a kept-alive connection at p50. */
  egressAddedP50Ms: 2,
  /** Issue 12: what the console may add to a turn (events.send → first agent.message) over query() direct. */
  sessionAddedP50Ms: 150,
  /** Issue 12: an event's recording → its arrival on the stream. */
  sessionLagP95Ms: 50,
  /** Issue 14: credential creates at 32 connections. */
  createsPerSecond: 300,
  /** Issue 14: the signed-in audit log page's time to first byte at 10,000 entries (p50). */
  auditPageTtfbMs: 50,
} as const;
/** Per side (direct, through) and connection count, for the boundary and the egress proxy alike (12 s by default). */
const COMPARISON_MEASURE_MS = Math.min(MEASURE_MS * 1.5, 12_000);

type DatabaseKind = "pglite" | "postgresql";
const DATABASE_LABEL: Record<DatabaseKind, string> = { pglite: "PGlite", postgresql: "PostgreSQL" };

function countFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 100_000) throw new Error(`${name} must be a whole number between 1 and 100,000, not "${raw}"`);
  return value;
}

function secondsFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > 120) throw new Error(`${name} must be a number of seconds between 0 and 120, not "${raw}"`);
  return value;
}

const BENCH_PARTS = ["lists", "creates", "boundary", "egress", "sessions", "after-writes"] as const;
/** The admin UI's owner, created by the seeder's boot from ADMIN_EMAIL/ADMIN_PASSWORD. */
const ADMIN = { email: "bench-owner@bench.example", password: `bench-${randomBytes(12).toString("hex")}` };
const AUDIT_REQUESTS = countFromEnv("BENCH_AUDIT_REQUESTS", 40);
const AUDIT_WARMUP_REQUESTS = 5;
type BenchPart = (typeof BENCH_PARTS)[number];

function selectedParts(): Set<BenchPart> {
  const raw = process.env.BENCH_PARTS;
  if (!raw) return new Set(BENCH_PARTS.filter((part) => part !== "creates"));
  return new Set(
    raw.split(",").map((name) => {
      const part = BENCH_PARTS.find((known) => known === name);
      if (!part) throw new Error(`BENCH_PARTS takes ${BENCH_PARTS.join(", ")} (any of them), not "${name}"`);
      return part;
    }),
  );
}

function selectedDatabases(): DatabaseKind[] {
  const raw = process.env.BENCH_DATABASES;
  if (!raw) return ["pglite", "postgresql"];
  return raw.split(",").map((name) => {
    if (name !== "pglite" && name !== "postgresql") throw new Error(`BENCH_DATABASES takes pglite and/or postgresql, not "${name}"`);
    return name;
  });
}

// ---------------------------------------------------------------------------------------------
// Children: the seeder, the Next server, the bare server

/** Children still running, so that a failure or Ctrl-C can stop every one of them. */
const liveChildren = new Set<ScriptProcess>();

function spawnChild(options: ScriptOptions): ScriptProcess {
  const child = spawnScript(options);
  liveChildren.add(child);
  void child.exit.then(() => liveChildren.delete(child));
  return child;
}

async function stopCleanly(child: ScriptProcess): Promise<void> {
  const ending = await stopScript(child);
  if (ending === 0) return;
  const how = ending === "timeout" ? `was killed after ${STOP_TIMEOUT_MS / 1000} s` : `exited with ${ending}`;
  throw new Error(`${child.name} ${how} on SIGTERM:\n${logTail(child)}`);
}

// ---------------------------------------------------------------------------------------------
// The build

/** The server starts with --no-build so that no build lands inside a measurement; build here instead. */
function ensureBuild(): void {
  if (!buildIfStale((line) => console.log(`[bench] ${line}`))) console.log("[bench] the Next build is up to date");
}

// ---------------------------------------------------------------------------------------------
// One database

interface BenchTarget {
  kind: DatabaseKind;
  dir: string;
  env: NodeJS.ProcessEnv;
  apiKey: string;
  /** The CA of the egress and sessions parts' https stubs, which the console trusts (NODE_EXTRA_CA_CERTS), and its file. */
  upstreamCa: EgressCaMaterial;
  upstreamCaPath: string;
}

interface SeedReport {
  count: number;
  seconds: number;
  analyzed: boolean;
  /** The page-1 list query's plan on the seeded database, and before its ANALYZE (if any). */
  plan: string;
  planWithoutStatistics: string;
}

interface ListsResult {
  seed: SeedReport;
  next: { firstPage: LoadResult; deepPage: LoadResult };
  bare: { firstPage: LoadResult; deepPage: LoadResult };
}

/** What the seeded database's writers and readers of the audit log see: the audit page, then the creates. */
interface WritesResult {
  auditPage: PageTimings;
  creates: LoadResult;
}

/** The Next server's resident memory (its process group), peak per phase, in MB; null when not measured. */
interface MemoryResult {
  idleMb: number;
  listsMb: number | null;
  boundaryMb: number | null;
  /** The server process's own peak over its life (VmHWM). */
  lifetimeMb: number;
}

interface AfterWritesResult {
  creates: LoadResult;
  firstPage: LoadResult;
  /** The bare handler's page 1 on the same data once the server has stopped: the floor of the lists as the API wrote them. */
  bareFirstPage: LoadResult;
  /** The embedded database's maintenance lines from the server log (what ran, how long it held the connection). */
  maintenance: string[];
}

/** A part is null when BENCH_PARTS left it out. */
interface DatabaseResult {
  kind: DatabaseKind;
  lists: ListsResult | null;
  writes: WritesResult | null;
  memory: MemoryResult | null;
  afterWrites: AfterWritesResult | null;
  boundary: Comparison | null;
  egress: EgressResult | null;
  sessions: SessionsResult | null;
  checks: string[];
}

/** For scripts that import route and service modules (they import "server-only"), as Next runs them. */
const REACT_SERVER = ["--conditions=react-server"];

async function seed(target: BenchTarget): Promise<{ report: SeedReport; vaultIds: string[] }> {
  const idsFile = join(target.dir, "vault-ids.json");
  const analyze = target.kind === "postgresql" || process.env.BENCH_ANALYZE_PGLITE === "1";
  const args = [String(VAULT_COUNT), idsFile, ...(analyze ? ["--analyze"] : [])];
  const child = spawnChild({
    name: "seeder",
    script: "bench/seed.ts",
    nodeArgs: REACT_SERVER,
    args,
    env: target.env,
    logPath: join(target.dir, "seed.log"),
  });
  const started = performance.now();
  const doneLine = waitForLine(child, new RegExp(`^${SEED_DONE_MARKER} (\\{.*\\})$`), SEED_TIMEOUT_MS);
  const [match, code] = await Promise.all([doneLine, child.exit]);
  if (code !== 0) throw new Error(`the seeder exited with ${code}:\n${logTail(child)}`);
  const report = JSON.parse(match[1] ?? "{}") as SeedReport;
  const vaultIds = JSON.parse(readFileSync(idsFile, "utf8")) as string[];
  if (vaultIds.length !== VAULT_COUNT) throw new Error(`the seeder wrote ${vaultIds.length} vault ids, expected ${VAULT_COUNT}`);
  console.log(
    `[bench] seeded ${report.count.toLocaleString("en-US")} vaults in ${report.seconds.toFixed(1)} s ` +
      `(${((performance.now() - started) / 1000).toFixed(1)} s with boot and migrations): ` +
      "the first through createVault (the service), the rest bulk-inserted as copies of its vault and audit rows",
  );
  console.log(`[bench] page-1 query plan without statistics: ${report.planWithoutStatistics}`);
  if (report.analyzed) console.log(`[bench] page-1 query plan after ANALYZE: ${report.plan}`);
  return { report, vaultIds };
}

function serverLogPath(target: BenchTarget, name: string): string {
  return join(target.dir, `${name.replace(/\W+/g, "-")}.log`);
}

async function startServer(
  target: BenchTarget,
  name: string,
  launch: Pick<ScriptOptions, "script" | "args" | "nodeArgs">,
  ready: RegExp,
): Promise<RunningServer> {
  const port = await findFreePort();
  const env = { ...target.env, HOST: "127.0.0.1", PORT: String(port) };
  const child = spawnChild({ name, ...launch, env, logPath: serverLogPath(target, name) });
  const started = performance.now();
  try {
    await waitForLine(child, ready, READY_TIMEOUT_MS);
  } catch (error) {
    await stopScript(child);
    throw error;
  }
  console.log(`[bench] ${name} ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { child, origin: `http://127.0.0.1:${port}` };
}

function apiHeaders(target: BenchTarget): Record<string, string> {
  return { "x-api-key": target.apiKey, [BETA_HEADER]: BETA_VERSION };
}

function listPath(cursor?: string): string {
  return `/v1/vaults?limit=${PAGE_LIMIT}${cursor ? `&page=${encodeURIComponent(cursor)}` : ""}`;
}

interface VaultPage {
  data: { id: string }[];
  next_page: string | null;
}

async function getPage(origin: string, target: BenchTarget, path: string): Promise<VaultPage> {
  const response = await fetch(`${origin}${path}`, { headers: apiHeaders(target) });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  const page = JSON.parse(text) as VaultPage;
  if (page.data.length !== PAGE_LIMIT) throw new Error(`GET ${path} returned ${page.data.length} vaults, expected ${PAGE_LIMIT}`);
  return page;
}

/** Follows next_page from page 1 the way a client would, to the cursor of page DEEP_PAGE. */
async function deepPageCursor(origin: string, target: BenchTarget): Promise<{ cursor: string; page: VaultPage }> {
  let cursor: string | undefined;
  for (let page = 1; page < DEEP_PAGE; page++) {
    const next = (await getPage(origin, target, listPath(cursor))).next_page;
    if (!next) throw new Error(`the list ended at page ${page}; ${VAULT_COUNT} vaults should make ${VAULT_COUNT / PAGE_LIMIT} pages`);
    cursor = next;
  }
  if (!cursor) throw new Error("no cursor");
  return { cursor, page: await getPage(origin, target, listPath(cursor)) };
}

/** The server's process group (the script and anything it started), for PostgreSQL the cluster's
 * processes (PGlite's work is inside the server's own CPU time), and this process: the load
 * generator shares the cores with them. */
function cpuMeters(server: RunningServer, target: BenchTarget): Record<string, () => number | null> {
  const groupId = server.child.child.pid;
  const meters: Record<string, () => number | null> = {
    server: () => (groupId === undefined ? null : processGroupCpuMs(groupId)),
  };
  if (target.env.DATABASE_URL) {
    const port = Number(new URL(target.env.DATABASE_URL).port);
    meters.postgres = () => postgresServerCpuMs(port);
  }
  meters["load generator"] = () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  };
  return meters;
}

/** Unmeasured load over every list URL in turn, so that each measured run starts from a warm server. */
async function warmUp(server: RunningServer, target: BenchTarget, paths: string[]): Promise<void> {
  const headers = apiHeaders(target);
  await runLoad({
    origin: server.origin,
    concurrency: CONCURRENCY,
    warmupMs: SERVER_WARMUP_MS,
    durationMs: 0,
    maxRequests: MAX_LIST_REQUESTS,
    nextRequest: (index) => ({ method: "GET", path: paths[index % paths.length] ?? "/", headers }),
  });
}

function listLoad(server: RunningServer, target: BenchTarget, path: string): Promise<LoadResult> {
  const spec: LoadRequest = { method: "GET", path, headers: apiHeaders(target) };
  return runLoad({
    origin: server.origin,
    concurrency: CONCURRENCY,
    warmupMs: WARMUP_MS,
    durationMs: MEASURE_MS / ROUNDS,
    maxRequests: MAX_LIST_REQUESTS,
    nextRequest: () => spec,
    cpuMeters: cpuMeters(server, target),
  });
}

/** One credential per seeded vault, in turn, so the 20-per-vault cap is never what is measured;
 * the count cap ends the run before any vault would get a second one. */
function createLoad(server: RunningServer, target: BenchTarget, vaultIds: string[]): Promise<LoadResult> {
  const headers = apiHeaders(target);
  return runLoad({
    origin: server.origin,
    cpuMeters: cpuMeters(server, target),
    concurrency: CONCURRENCY,
    warmupMs: WARMUP_MS,
    durationMs: MEASURE_MS,
    maxRequests: vaultIds.length,
    nextRequest: (index) => ({
      method: "POST",
      path: `/v1/vaults/${vaultIds[index]}/credentials`,
      headers,
      body: JSON.stringify({
        display_name: `Bench credential ${index + 1}`,
        auth: {
          type: "static_bearer",
          token: `${CANARY}-bench-${randomBytes(12).toString("hex")}`,
          mcp_server_url: `https://mcp-${index + 1}.bench.example/mcp`,
        },
      }),
    }),
  });
}

type ListLoads = { firstPage: LoadResult; deepPage: LoadResult };

/**
 * Page 1 and the deep page on Next and on the bare handler, after a warm-up of each over both, in
 * interleaved runs: round by round, each page on one server and then on the other (the order
 * swapped every round). This machine's speed drifts by tens of percent over a minute, so two
 * servers measured one after the other compare the minutes as much as the servers.
 */
async function measureListsSideBySide(
  next: RunningServer,
  bare: RunningServer,
  target: BenchTarget,
  deepCursor: string,
): Promise<{ next: ListLoads; bare: ListLoads }> {
  const paths = [listPath(), listPath(deepCursor)];
  await warmUp(next, target, paths);
  await warmUp(bare, target, paths);
  const runs = { next: [[], []] as LoadResult[][], bare: [[], []] as LoadResult[][] };
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? (["next", "bare"] as const) : (["bare", "next"] as const);
    for (const [page, path] of paths.entries()) {
      for (const side of order) runs[side][page]?.push(await listLoad(side === "next" ? next : bare, target, path));
    }
  }
  const combined = (side: "next" | "bare"): ListLoads => {
    const [firstPage, deepPage] = runs[side].map((pageRuns) => combineLoads(pageRuns));
    if (!firstPage || !deepPage) throw new Error("no list runs");
    describeLoad(`${side}: page 1`, firstPage);
    describeLoad(`${side}: page ${DEEP_PAGE}`, deepPage);
    return { firstPage, deepPage };
  };
  return { next: combined("next"), bare: combined("bare") };
}

function describeCpu(result: LoadResult): string {
  return Object.entries(result.cpuMsPerRequest)
    .map(([meter, ms]) => `${meter} ${fmt(ms, 2)} ms`)
    .join(", ");
}

function describeLoad(label: string, result: LoadResult): void {
  const errors = result.errors > 0 ? `, ${result.errors} errors ${JSON.stringify(result.errorsByKind)} — first: ${result.firstError}` : "";
  const capped = result.stoppedByCount ? ", stopped at the request cap" : "";
  console.log(
    `[bench]   ${label.padEnd(26)} ${fmt(result.requestsPerSecond, 0).padStart(6)} req/s  p50 ${fmt(result.p50Ms, 1)} ms  p99 ${fmt(result.p99Ms, 1)} ms  ` +
      `max ${fmt(result.maxMs, 1)} ms  CPU/req ${describeCpu(result)}  ` +
      `(${result.requests} requests in ${result.seconds.toFixed(1)} s${capped}${errors})`,
  );
}

function canaryInLog(logPath: string): number[] {
  if (!existsSync(logPath)) return [];
  return readFileSync(logPath, "utf8")
    .split("\n")
    .flatMap((line, index) => (line.includes(CANARY) ? [index + 1] : []));
}

interface RunningServer {
  child: ScriptProcess;
  origin: string;
}

/** Runs `work` against a started server, then stops it. A failure while it runs is usually
 * explained by its log, so the error carries the tail; a clean run must also end cleanly. */
async function withServer<T>(server: RunningServer, work: (origin: string) => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await work(server.origin);
  } catch (error) {
    await stopScript(server.child);
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\n  last lines of the ${server.child.name} log:\n${logTail(server.child)}`);
  }
  await stopCleanly(server.child);
  return result;
}

interface NextLists {
  loads: ListsResult["next"];
  bare: ListsResult["bare"];
  /** Whether the bare handler answered the same pages as Next (else the comparison means nothing). */
  samePages: boolean;
  /** The server's peak RSS while the lists were measured. */
  listsRssMb: number | null;
}

/** The lists on Next and, started beside it for the time they take, on the bare handler. */
async function measureNextLists(server: RunningServer, target: BenchTarget, rss: RssSampler | null): Promise<NextLists> {
  const firstPage = await getPage(server.origin, target, listPath());
  const walkStarted = performance.now();
  const deep = await deepPageCursor(server.origin, target);
  console.log(`[bench] walked ${DEEP_PAGE - 1} pages to the page-${DEEP_PAGE} cursor in ${((performance.now() - walkStarted) / 1000).toFixed(1)} s`);
  const profiles = join(target.dir, "profiles-bare");
  const bare = await startServer(
    bareTarget(target),
    "bare node:http handler",
    { script: "bench/bare-server.ts", nodeArgs: [...REACT_SERVER, ...profilingArgs(profiles)] },
    new RegExp(`${BARE_READY_MARKER} http://`),
  );
  const measured = await withServer(bare, async (origin) => {
    // The same bodies, or the comparison would be between two different pieces of work.
    const bareFirstPage = await getPage(origin, target, listPath());
    const bareDeepPage = await getPage(origin, target, listPath(deep.cursor));
    const samePages = JSON.stringify([bareFirstPage, bareDeepPage]) === JSON.stringify([firstPage, deep.page]);
    return { samePages, ...(await measureListsSideBySide(server, bare, target, deep.cursor)) };
  });
  printProfiles(profiles, "bare handler");
  const listsRssMb = rss?.stop() ?? null;
  return { loads: measured.next, bare: measured.bare, samePages: measured.samePages, listsRssMb };
}

/** The embedded database is one process's: the bare handler gets a copy of the seeded data dir. */
const BARE_DATA_DIR = "data-bare";

function bareTarget(target: BenchTarget): BenchTarget {
  return target.kind === "pglite" ? { ...target, env: { ...target.env, CONSOLE_DATA_DIR: join(target.dir, BARE_DATA_DIR) } } : target;
}

/** The audit page at the seeder's audit entries (the lists wrote none), then the creates, which add theirs. */
async function measureWrites(server: RunningServer, target: BenchTarget, vaultIds: string[]): Promise<WritesResult> {
  const auditPage = await measureAuditPage({
    origin: server.origin,
    email: ADMIN.email,
    password: ADMIN.password,
    warmupRequests: AUDIT_WARMUP_REQUESTS,
    requests: AUDIT_REQUESTS,
  });
  console.log(
    `[bench]   next: audit page (signed in)   TTFB p50 ${fmt(auditPage.ttfbP50Ms, 1)} ms  p95 ${fmt(auditPage.ttfbP95Ms, 1)} ms  ` +
      `whole page p50 ${fmt(auditPage.totalP50Ms, 1)} ms  p95 ${fmt(auditPage.totalP95Ms, 1)} ms  ` +
      `(${auditPage.requests} requests one at a time, ${auditPage.rows} rows, ${fmt(auditPage.bytes / 1024, 0)} KB)`,
  );
  const creates = await createLoad(server, target, vaultIds);
  describeLoad("next: credential creates", creates);
  return { auditPage, creates };
}

/** Node flags for a server: with BENCH_CPU_PROF=1, a CPU profile written to `dir` when it exits. */
function profilingArgs(dir: string): string[] {
  return process.env.BENCH_CPU_PROF === "1" ? ["--cpu-prof", `--cpu-prof-dir=${dir}`] : [];
}

/** Prints the top of the profiles a server wrote as it exited (BENCH_CPU_PROF=1). */
function printProfiles(dir: string, label: string): void {
  if (process.env.BENCH_CPU_PROF !== "1") return;
  let files: string[];
  try {
    files = profileFiles(dir);
  } catch {
    console.log(`[bench] ${label}: no CPU profile in ${dir}`);
    return;
  }
  for (const file of files) for (const line of summarizeProfile(file, { top: 15 })) console.log(`[bench] ${label} CPU profile: ${line}`);
}

/** On one Next server: the lists and creates when there are seeded `vaultIds`, then the boundary and the egress proxy if asked for. */
async function measureNext(
  target: BenchTarget,
  vaultIds: string[] | null,
  parts: Set<BenchPart>,
): Promise<{
  lists: NextLists | null;
  writes: WritesResult | null;
  boundary: Comparison | null;
  egress: EgressResult | null;
  sessions: SessionsResult | null;
  memory: MemoryResult;
}> {
  const profiles = join(target.dir, "profiles-next");
  const server = await startServer(
    target,
    "next server",
    { script: "scripts/start.ts", args: ["--no-build"], nodeArgs: profilingArgs(profiles) },
    /Console ready at http:\/\//,
  );
  const groupId = server.child.child.pid;
  const result = await withServer(server, async (origin) => {
    const idle = sampleRss(groupId);
    await new Promise((wake) => setTimeout(wake, IDLE_SAMPLE_MS));
    const idleMb = idle.stop();
    const listsRss = vaultIds && parts.has("lists") ? sampleRss(groupId) : null;
    const lists = vaultIds && parts.has("lists") ? await measureNextLists(server, target, listsRss) : null;
    const writes = vaultIds ? await measureWrites(server, target, vaultIds) : null;
    const comparing = (part: BenchPart) => ({
      origin,
      apiHeaders: apiHeaders(target),
      canary: CANARY,
      warmupMs: WARMUP_MS,
      measureMs: COMPARISON_MEASURE_MS,
      cpuMeters: cpuMeters(server, target),
      describeLoad: (label: string, result: LoadResult) => describeLoad(`${part}: ${label}`, result),
    });
    const boundaryRss = parts.has("boundary") ? sampleRss(groupId) : null;
    const boundary = parts.has("boundary") ? await measureBoundary({ ...comparing("boundary"), databaseUrl: target.env.DATABASE_URL }) : null;
    const boundaryMb = boundaryRss?.stop() ?? null;
    const egress = parts.has("egress") ? await measureEgress({ ...comparing("egress"), upstreamCa: target.upstreamCa }) : null;
    const sessions = parts.has("sessions")
      ? await measureSessions(
          { ...comparing("sessions"), apiKey: target.apiKey, upstreamCa: target.upstreamCa, upstreamCaPath: target.upstreamCaPath, dir: target.dir },
          sessionTurnsFromEnv(),
          firstTurnsFromEnv(),
        )
      : null;
    const lifetimeKb = groupId === undefined ? null : peakRssKb(groupId);
    const memory: MemoryResult = { idleMb, listsMb: lists?.listsRssMb ?? null, boundaryMb, lifetimeMb: lifetimeKb === null ? Number.NaN : lifetimeKb / 1024 };
    console.log(
      `[bench]   server RSS peak (its process tree, warm runners included): idle ${fmt(memory.idleMb, 0)} MB, list load ${fmt(memory.listsMb ?? Number.NaN, 0)} MB, ` +
        `boundary load ${fmt(memory.boundaryMb ?? Number.NaN, 0)} MB; the server process alone over its life (VmHWM) ${fmt(memory.lifetimeMb, 0)} MB`,
    );
    return { lists, writes, boundary, egress, sessions, memory };
  });
  printProfiles(profiles, "next server");
  return result;
}

/** A database of its own for the after-writes part: a fresh data dir, or a new database in the cluster. */
async function emptyDatabaseEnv(target: BenchTarget): Promise<NodeJS.ProcessEnv> {
  const url = target.env.DATABASE_URL;
  if (!url) return { ...target.env, CONSOLE_DATA_DIR: join(target.dir, "data-after-writes") };
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("CREATE DATABASE bench_after_writes");
  } finally {
    await client.end();
  }
  const fresh = new URL(url);
  fresh.pathname = "/bench_after_writes";
  return { ...target.env, DATABASE_URL: fresh.toString(), CONSOLE_DATA_DIR: join(target.dir, "data-after-writes") };
}

/**
 * What the independent load test saw: a console that has just taken 10,000 vault creates through
 * the API (32 at a time, as clients would), measured at once, without a restart. Nothing here
 * bulk-inserts or runs ANALYZE: whatever statistics exist are the ones the console keeps itself.
 */
async function measureAfterWrites(target: BenchTarget): Promise<AfterWritesResult> {
  const env = await emptyDatabaseEnv(target);
  const profiles = join(target.dir, "profiles-after-writes");
  const server = await startServer(
    { ...target, env },
    "next server after writes",
    { script: "scripts/start.ts", args: ["--no-build"], nodeArgs: profilingArgs(profiles) },
    /Console ready at http:\/\//,
  );
  const result = await withServer(server, async () => {
    const headers = apiHeaders(target);
    const creates = await runLoad({
      origin: server.origin,
      concurrency: CONCURRENCY,
      warmupMs: 0,
      durationMs: AFTER_WRITES_CREATE_LIMIT_MS,
      maxRequests: AFTER_WRITES_VAULTS,
      cpuMeters: cpuMeters(server, target),
      nextRequest: (index) => ({
        method: "POST",
        path: "/v1/vaults",
        headers,
        body: JSON.stringify({ display_name: `After-writes vault ${String(index + 1).padStart(5, "0")}`, metadata: { team: "bench" } }),
      }),
    });
    describeLoad("after writes: vault creates", creates);
    // Failed creates are counted with the run's failed requests (and fail it); the list is still
    // measured, since the writes that did land are what it serves.
    if (creates.succeeded < AFTER_WRITES_VAULTS)
      console.log(`[bench]   after writes: only ${creates.succeeded} of ${AFTER_WRITES_VAULTS} vault creates succeeded`);
    const spec: LoadRequest = { method: "GET", path: listPath(), headers };
    // At once: no warm-up, so the first seconds after the writes are in the numbers.
    const firstPage = await runLoad({
      origin: server.origin,
      concurrency: CONCURRENCY,
      warmupMs: 0,
      durationMs: MEASURE_MS,
      maxRequests: MAX_LIST_REQUESTS,
      nextRequest: () => spec,
      cpuMeters: cpuMeters(server, target),
    });
    describeLoad("after writes: page 1", firstPage);
    return { creates, firstPage };
  });
  printProfiles(profiles, "after-writes server");
  // The server's log records (one JSON object per line after its banner); the upkeep's are component "database".
  const maintenance = readFileSync(server.child.logPath, "utf8")
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => logRecord.parse(JSON.parse(line)))
    .filter((record) => record.component === "database")
    .map((record) => record.msg);
  for (const line of maintenance) console.log(`[bench]   after writes: ${line}`);
  return { ...result, maintenance, bareFirstPage: await measureBareAfterWrites({ ...target, env }) };
}

/**
 * The bare handler on the data the API just wrote, after the server that wrote it has stopped (the
 * embedded database has one owner at a time). It gets a warm-up the server did not, so if anything
 * this floor is a little high.
 */
async function measureBareAfterWrites(target: BenchTarget): Promise<LoadResult> {
  const bare = await startServer(
    target,
    "bare node:http handler after writes",
    { script: "bench/bare-server.ts", nodeArgs: REACT_SERVER },
    new RegExp(`${BARE_READY_MARKER} http://`),
  );
  return withServer(bare, async (origin) => {
    const spec: LoadRequest = { method: "GET", path: listPath(), headers: apiHeaders(target) };
    const firstPage = await runLoad({
      origin,
      concurrency: CONCURRENCY,
      warmupMs: WARMUP_MS,
      durationMs: MEASURE_MS,
      maxRequests: MAX_LIST_REQUESTS,
      nextRequest: () => spec,
      cpuMeters: cpuMeters(bare, target),
    });
    describeLoad("after writes: bare page 1", firstPage);
    return firstPage;
  });
}

async function benchDatabase(target: BenchTarget, parts: Set<BenchPart>): Promise<DatabaseResult> {
  const checks: string[] = [];
  const seeded = parts.has("lists") || parts.has("creates") ? await seed(target) : null;
  if (seeded && parts.has("lists") && target.kind === "pglite") cpSync(join(target.dir, "data"), join(target.dir, BARE_DATA_DIR), { recursive: true });
  const next = await measureNext(target, seeded?.vaultIds ?? null, parts);
  const hits = canaryInLog(serverLogPath(target, "next server"));
  checks.push(hits.length === 0 ? `no ${CANARY} in the server log ✓` : `${CANARY} in the server log at lines ${hits.join(", ")} ✗`);
  if (next.boundary) {
    const streamLeaks = next.boundary.stream.through.leaks;
    checks.push(streamLeaks === 0 ? "no token in the boundary's streamed responses ✓" : `the token in ${streamLeaks} streamed boundary responses ✗`);
  }
  if (next.egress) checks.push(...egressChecks(next.egress));
  if (next.sessions) checks.push(...sessionChecks(next.sessions));
  if (next.lists)
    checks.push(next.lists.samePages ? `bare handler returns the same page 1 and page ${DEEP_PAGE} as Next ✓` : "bare handler's pages differ from Next's ✗");
  const lists = seeded && next.lists ? { seed: seeded.report, next: next.lists.loads, bare: next.lists.bare } : null;
  const afterWrites = parts.has("after-writes") ? await measureAfterWrites(target) : null;
  if (afterWrites) {
    const hits = canaryInLog(serverLogPath(target, "next server after writes"));
    checks.push(hits.length === 0 ? `no ${CANARY} in the after-writes server log ✓` : `${CANARY} in the after-writes server log at lines ${hits.join(", ")} ✗`);
  }
  return {
    kind: target.kind,
    lists,
    writes: next.writes,
    memory: next.memory,
    afterWrites,
    boundary: next.boundary,
    egress: next.egress,
    sessions: next.sessions,
    checks,
  };
}

/** The egress numbers mean something only if the proxy really swapped the placeholder for the token. */
function egressChecks(egress: EgressResult): string[] {
  const { upstream, intercepted } = egress;
  const leaks = intercepted.stream.through.leaks;
  return [
    upstream.requestsWithToken > 0
      ? `the intercepted stub received the token on ${upstream.requestsWithToken} requests through the proxy ✓`
      : "the intercepted stub never received the token: the proxy injected nothing ✗",
    upstream.placeholderSeen ? "the placeholder reached the intercepted stub ✗" : "the placeholder never reached the intercepted stub ✓",
    leaks === 0 ? "no token in the proxy's streamed responses ✓" : `the token in ${leaks} streamed responses through the proxy ✗`,
  ];
}

/** The turns mean something only if the runner's model calls reached the stub with the real token. */
function sessionChecks(sessions: SessionsResult): string[] {
  const { upstream } = sessions;
  return [
    upstream.requestsWithToken > 0
      ? `the stub received the token on ${upstream.requestsWithToken} model calls of the session's runner ✓`
      : "the stub never received the token from the session's runner ✗",
    upstream.placeholderSeen ? "a placeholder reached the stub as the key ✗" : "no placeholder reached the stub as the key ✓",
  ];
}

// ---------------------------------------------------------------------------------------------
// The report

function failedRequests(result: DatabaseResult): number {
  const loads: LoadResult[] = [];
  if (result.lists) {
    const { next, bare } = result.lists;
    loads.push(next.firstPage, next.deepPage, bare.firstPage, bare.deepPage);
  }
  if (result.writes) loads.push(result.writes.creates);
  if (result.afterWrites) loads.push(result.afterWrites.creates, result.afterWrites.firstPage, result.afterWrites.bareFirstPage);
  const comparisons = [result.boundary, result.egress?.intercepted].filter((comparison) => comparison != null);
  if (result.egress) loads.push(result.egress.tunnelled.direct, result.egress.tunnelled.through);
  return loads.reduce((sum, load) => sum + load.errors, 0) + comparisons.reduce((sum, comparison) => sum + comparisonFailures(comparison), 0);
}

function reportRows(result: DatabaseResult): Row[] {
  const errors = failedRequests(result);
  return [
    ...(result.lists ? listRows(result.lists) : []),
    ...(result.writes ? writesRows(result.writes) : []),
    ...(result.afterWrites ? afterWritesRows(result.afterWrites) : []),
    ...(result.memory ? memoryRows(result.memory) : []),
    ...(result.boundary ? comparisonRows("boundary", result.boundary, AIMS.boundaryAddedP50Ms, AIMS.boundaryConcurrent) : []),
    ...(result.egress ? egressRows(result.egress, AIMS.egressAddedP50Ms) : []),
    ...(result.sessions ? sessionRows(result.sessions, { addedP50Ms: AIMS.sessionAddedP50Ms, lagP95Ms: AIMS.sessionLagP95Ms }) : []),
    { metric: "non-2xx / failed requests", value: String(errors), aim: "0", met: errors === 0 },
  ];
}

/** The floor of a list's throughput and p99: the bare handler's, on the same data in the same run. */
function listFloors(bare: LoadResult): { throughput: Row["floor"]; p99: Row["floor"] } {
  return {
    throughput: { value: `${fmt(bare.requestsPerSecond, 0)} req/s on bare node:http`, met: atLeast(bare.requestsPerSecond, AIMS.listRequestsPerSecond) },
    p99: { value: `${fmt(bare.p99Ms, 1)} ms on bare node:http`, met: atMost(bare.p99Ms, AIMS.listP99Ms) },
  };
}

function afterWritesRows(result: AfterWritesResult): Row[] {
  const { creates, firstPage } = result;
  const floors = listFloors(result.bareFirstPage);
  return [
    {
      metric: `${AFTER_WRITES_VAULTS.toLocaleString("en-US")} vault creates through the API`,
      value: `${fmt(creates.requestsPerSecond, 0)} /s`,
      aim: "",
      met: null,
    },
    {
      metric: "right after them, page 1: throughput",
      value: `${fmt(firstPage.requestsPerSecond, 0)} req/s`,
      aim: `≥ ${fmt(AIMS.listRequestsPerSecond, 0)}`,
      met: atLeast(firstPage.requestsPerSecond, AIMS.listRequestsPerSecond),
      floor: floors.throughput,
    },
    {
      metric: "right after them, page 1: p99",
      value: `${fmt(firstPage.p99Ms, 1)} ms`,
      aim: `≤ ${AIMS.listP99Ms} ms`,
      met: atMost(firstPage.p99Ms, AIMS.listP99Ms),
      floor: floors.p99,
    },
  ];
}

function writesRows(result: WritesResult): Row[] {
  const { auditPage, creates } = result;
  return [
    {
      metric: `credential creates (${CONCURRENCY} connections)`,
      value: `${fmt(creates.requestsPerSecond, 0)} /s`,
      aim: `≥ ${AIMS.createsPerSecond}`,
      met: atLeast(creates.requestsPerSecond, AIMS.createsPerSecond),
    },
    { metric: "credential creates: p50 / p99", value: `${fmt(creates.p50Ms, 1)} / ${fmt(creates.p99Ms, 1)} ms`, aim: "", met: null },
    {
      metric: `audit page TTFB at ${VAULT_COUNT.toLocaleString("en-US")} entries: p50`,
      value: `${fmt(auditPage.ttfbP50Ms, 1)} ms`,
      aim: `≤ ${AIMS.auditPageTtfbMs} ms`,
      met: atMost(auditPage.ttfbP50Ms, AIMS.auditPageTtfbMs),
    },
    {
      metric: "audit page: TTFB p95, whole page p50 / p95",
      value: `${fmt(auditPage.ttfbP95Ms, 1)} ms, ${fmt(auditPage.totalP50Ms, 1)} / ${fmt(auditPage.totalP95Ms, 1)} ms`,
      aim: "",
      met: null,
    },
  ];
}

function memoryRows(memory: MemoryResult): Row[] {
  const mb = (value: number | null) => (value === null ? "not measured" : `${fmt(value, 0)} MB`);
  return [
    { metric: "server RSS peak (process tree): idle", value: mb(memory.idleMb), aim: "", met: null },
    { metric: "server RSS peak (process tree): list load", value: mb(memory.listsMb), aim: "", met: null },
    { metric: "server RSS peak (process tree): boundary load", value: mb(memory.boundaryMb), aim: "", met: null },
    { metric: "server process VmHWM (its own peak, whole life)", value: mb(memory.lifetimeMb), aim: "", met: null },
  ];
}

function listRows(result: ListsResult): Row[] {
  const { next, bare } = result;
  // Closed loop at fixed concurrency: the throughput ratio is the mean latency ratio.
  const deepCost = next.firstPage.requestsPerSecond / next.deepPage.requestsPerSecond;
  const overheadFirst = bare.firstPage.requestsPerSecond / next.firstPage.requestsPerSecond;
  const overheadDeep = bare.deepPage.requestsPerSecond / next.deepPage.requestsPerSecond;
  const serverCpu = (load: LoadResult) => load.cpuMsPerRequest.server ?? Number.NaN;
  const cpuOverheadFirst = serverCpu(next.firstPage) / serverCpu(bare.firstPage);
  const postgresCpu = next.firstPage.cpuMsPerRequest.postgres;
  const rps = (value: number) => `${fmt(value, 0)} req/s`;
  const ms = (value: number) => `${fmt(value, 1)} ms`;
  const firstFloors = listFloors(bare.firstPage);
  const deepFloors = listFloors(bare.deepPage);
  return [
    {
      metric: "list page 1: throughput",
      value: rps(next.firstPage.requestsPerSecond),
      aim: `≥ ${fmt(AIMS.listRequestsPerSecond, 0)}`,
      met: atLeast(next.firstPage.requestsPerSecond, AIMS.listRequestsPerSecond),
      floor: firstFloors.throughput,
    },
    { metric: "list page 1: p50", value: ms(next.firstPage.p50Ms), aim: "", met: null },
    {
      metric: "list page 1: p99",
      value: ms(next.firstPage.p99Ms),
      aim: `≤ ${AIMS.listP99Ms} ms`,
      met: atMost(next.firstPage.p99Ms, AIMS.listP99Ms),
      floor: firstFloors.p99,
    },
    {
      metric: `list page ${DEEP_PAGE}: throughput`,
      value: rps(next.deepPage.requestsPerSecond),
      aim: `≥ ${fmt(AIMS.listRequestsPerSecond, 0)}`,
      met: atLeast(next.deepPage.requestsPerSecond, AIMS.listRequestsPerSecond),
      floor: deepFloors.throughput,
    },
    { metric: `list page ${DEEP_PAGE}: p50`, value: ms(next.deepPage.p50Ms), aim: "", met: null },
    {
      metric: `list page ${DEEP_PAGE}: p99`,
      value: ms(next.deepPage.p99Ms),
      aim: `≤ ${AIMS.listP99Ms} ms`,
      met: atMost(next.deepPage.p99Ms, AIMS.listP99Ms),
      floor: deepFloors.p99,
    },
    {
      metric: `page ${DEEP_PAGE} cost ÷ page 1 cost`,
      value: `${fmt(deepCost, 2)}×`,
      aim: `≤ ${AIMS.deepToFirstPage}×`,
      met: atMost(deepCost, AIMS.deepToFirstPage),
    },
    {
      metric: "bare node:http page 1",
      value: `${rps(bare.firstPage.requestsPerSecond)}, p50 ${ms(bare.firstPage.p50Ms)}, p99 ${ms(bare.firstPage.p99Ms)}`,
      aim: "",
      met: null,
    },
    {
      metric: `bare node:http page ${DEEP_PAGE}`,
      value: `${rps(bare.deepPage.requestsPerSecond)}, p50 ${ms(bare.deepPage.p50Ms)}, p99 ${ms(bare.deepPage.p99Ms)}`,
      aim: "",
      met: null,
    },
    {
      metric: "framework overhead, page 1",
      value: `${fmt(overheadFirst, 2)}×`,
      aim: `≤ ${AIMS.frameworkOverhead}×`,
      met: atMost(overheadFirst, AIMS.frameworkOverhead),
    },
    {
      metric: `framework overhead, page ${DEEP_PAGE}`,
      value: `${fmt(overheadDeep, 2)}×`,
      aim: `≤ ${AIMS.frameworkOverhead}×`,
      met: atMost(overheadDeep, AIMS.frameworkOverhead),
    },
    {
      metric: "server CPU per page-1 request, Next / bare",
      value: `${fmt(serverCpu(next.firstPage), 2)} / ${fmt(serverCpu(bare.firstPage), 2)} ms = ${fmt(cpuOverheadFirst, 2)}×`,
      aim: "",
      met: null,
    },
    ...(postgresCpu === undefined ? [] : [{ metric: "PostgreSQL CPU per page-1 request (Next run)", value: `${fmt(postgresCpu, 2)} ms`, aim: "", met: null }]),
  ];
}

// ---------------------------------------------------------------------------------------------
// Putting it together, and cleaning up whatever happens

const clusters = new Set<PostgresCluster>();
let runDir: string | null = null;
let cleanupDone: Promise<void> | null = null;

function cleanup(): Promise<void> {
  cleanupDone ??= (async () => {
    await Promise.all([...liveChildren].map((child) => stopScript(child).catch(() => undefined)));
    await Promise.all([...clusters].map((cluster) => cluster.stop().catch(() => undefined)));
    if (runDir && process.env.KEEP_BENCH_DATA !== "1") rmSync(runDir, { recursive: true, force: true });
    else if (runDir) console.log(`[bench] kept ${runDir}`);
  })();
  return cleanupDone;
}

function onSignal(signal: NodeJS.Signals | "disconnect"): void {
  // bench/run.ts passes Ctrl-C on to us as well as the terminal does: one notice is enough.
  if (cleanupDone) return;
  const reason = signal === "disconnect" ? "bench/run.ts is gone" : signal;
  console.error(`\n[bench] ${reason}: stopping the children and the cluster, removing the temp dir…`);
  void cleanup().finally(() => process.exit(130));
}

async function prepareTarget(kind: DatabaseKind, masterKey: string, apiKey: string): Promise<BenchTarget | null> {
  if (!runDir) throw new Error("no run dir");
  const dir = join(runDir, kind);
  mkdirSync(dir, { recursive: true });
  const upstreamCa = await createEgressCa("Console bench upstream CA");
  const caPath = join(dir, "upstream-ca.pem");
  writeFileSync(caPath, upstreamCa.certificatePem);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    NODE_ENV: "production",
    // Set for PostgreSQL too, so that nothing the console writes can land in the project's .data.
    CONSOLE_DATA_DIR: join(dir, "data"),
    CONSOLE_MASTER_KEY: masterKey,
    CONSOLE_BOOTSTRAP_API_KEY: apiKey,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    // Required on PostgreSQL, where every console process must sign admin sessions alike.
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    // One key drives thousands of calls a second: counted as in production, never refused.
    CONSOLE_API_RATE_LIMIT_PER_MINUTE: "1000000000",
    // The stub upstreams of the boundary and the egress proxy listen on loopback, as two hosts.
    CONSOLE_PRIVATE_ENDPOINTS: `${INTERCEPTED_HOST},${TUNNELLED_HOST}`,
    // The egress stubs serve TLS with leaves of this run's CA; the console verifies them as any upstream.
    NODE_EXTRA_CA_CERTS: caPath,
    CONSOLE_EGRESS_PORT: String(await findFreePort()),
    // The boundary on a port and thread of its own, as a console serving many model calls would run.
    CONSOLE_BOUNDARY_PORT: String(await findFreePort()),
    // The sessions part prints where a turn's time goes inside the runner (lib/runner/steps.ts).
    CONSOLE_RUNNER_STEPS: "1",
  };
  delete env.DATABASE_URL;
  if (kind === "postgresql") {
    if (!findPostgresBinaries()) {
      console.log("[bench] PostgreSQL: skipped, initdb/pg_ctl not found (apt-get install -y postgresql)");
      return null;
    }
    const started = performance.now();
    const cluster = await startPostgres();
    clusters.add(cluster);
    env.DATABASE_URL = cluster.url;
    console.log(`[bench] throw-away PostgreSQL cluster at ${cluster.url} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return { kind, dir, env, apiKey, upstreamCa, upstreamCaPath: caPath };
}

async function main(): Promise<number> {
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  // Whatever ends the launcher (even SIGKILL) closes this channel, and nothing else should outlive it.
  process.on("disconnect", () => onSignal("disconnect"));
  const databases = selectedDatabases();
  const parts = selectedParts();
  const busy = await machineBusyFraction(1_000);
  console.log(
    `[bench] node ${process.version}, ${availableParallelism()} cores, ${fmt(busy * 100, 0)}% busy before the start; ` +
      `${CONCURRENCY} connections; each list measured for ${MEASURE_MS / 1000} s in ${ROUNDS} alternating rounds, ` +
      `creates for ${MEASURE_MS / 1000} s, each run after ${WARMUP_MS / 1000} s of warm-up; the load generator shares the cores`,
  );
  if (busy > 0.25) {
    console.log("[bench] warning: something else is using the CPU; req/s will be low and noisy (server CPU per request much less so)");
  }
  ensureBuild();
  runDir = mkdtempSync(join(tmpdir(), "console-bench-"));
  // Fresh keys per run: nothing here could come from, or reach, a developer's own console.
  const masterKey = randomBytes(32).toString("base64");
  const apiKey = `s0_${randomBytes(32).toString("base64url")}`;

  const results: DatabaseResult[] = [];
  const failures: string[] = [];
  for (const kind of databases) {
    console.log(`\n[bench] ── ${DATABASE_LABEL[kind]} ${"─".repeat(60)}`);
    const started = performance.now();
    let target: BenchTarget | null = null;
    try {
      target = await prepareTarget(kind, masterKey, apiKey);
      if (!target) continue;
      results.push(await benchDatabase(target, parts));
    } catch (error) {
      // After Ctrl-C the servers are stopped under the requests' feet; that is no news.
      if (cleanupDone) break;
      const message = error instanceof Error ? error.message : String(error);
      failures.push(`${DATABASE_LABEL[kind]}: ${message}`);
      console.error(`[bench] ${DATABASE_LABEL[kind]} failed: ${message}`);
    } finally {
      await Promise.all([...liveChildren].map((child) => stopScript(child).catch(() => undefined)));
      for (const cluster of clusters) {
        await cluster.stop();
        clusters.delete(cluster);
      }
      for (const data of ["data", BARE_DATA_DIR]) if (target) rmSync(join(target.dir, data), { recursive: true, force: true });
    }
    console.log(`[bench] ${DATABASE_LABEL[kind]} done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }

  for (const result of results) {
    const scope = result.lists
      ? `${VAULT_COUNT.toLocaleString("en-US")} vaults, GET /v1/vaults?limit=${PAGE_LIMIT}, ${CONCURRENCY} connections`
      : [
          result.writes ? `${VAULT_COUNT.toLocaleString("en-US")} vaults: the audit page and credential creates` : null,
          result.boundary ? "the credential boundary" : null,
          result.egress ? "the egress proxy" : null,
          result.sessions ? "session turns" : null,
          result.afterWrites ? `GET /v1/vaults?limit=${PAGE_LIMIT} right after ${AFTER_WRITES_VAULTS.toLocaleString("en-US")} API creates` : null,
        ]
          .filter(Boolean)
          .join(", ");
    printTable(`${DATABASE_LABEL[result.kind]} — ${scope}`, reportRows(result));
    if (result.kind === "pglite") console.log("  PGlite runs inside the server process: its work is part of the server CPU");
    if (result.lists) {
      const { seed: report } = result.lists;
      console.log(`  page-1 plan without statistics: ${report.planWithoutStatistics}`);
      if (report.analyzed) console.log(`  page-1 plan after ANALYZE (as the seeder left it): ${report.plan}`);
    }
    for (const check of result.checks) console.log(`  ${check}`);
  }
  const erroredRequests = results.some((result) => failedRequests(result) > 0);
  const brokenChecks = results.some((result) => result.checks.some((check) => check.endsWith("✗")));
  if (failures.length > 0) console.log(`\n[bench] failed:\n  ${failures.join("\n  ")}`);
  return failures.length > 0 || erroredRequests || brokenChecks ? 1 : 0;
}

main()
  .catch((error: unknown) => {
    console.error(`[bench] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  })
  .then(async (code) => {
    await cleanup();
    process.exit(code);
  });
