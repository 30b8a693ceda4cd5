// Processes started from scripts: scripts/test.ts starts the suite's consoles with it,
// e2e/api/own-console.ts the ones a test needs with settings of its own, and bench/orchestrate.ts
// its seeder, consoles and bare handler.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..");
const READY_LINE = /Console ready at http:\/\//;
/** How long a process gets to exit on SIGTERM before its process group is killed. */
export const STOP_TIMEOUT_MS = 30_000;
const LOG_TAIL_LINES = 60;

/** How a process ended: its exit code, the signal that ended it, or still running. */
export type Ending = number | NodeJS.Signals | "timeout";

/** A TypeScript script run in its own process group, its output written to a log file. */
export interface ScriptProcess {
  /** What messages about it call it: "the console", "seeder". */
  name: string;
  child: ChildProcess;
  logPath: string;
  exit: Promise<number | NodeJS.Signals>;
  closed: Promise<void>;
  log: WriteStream;
  /** The last lines of its output, for the message when it fails. */
  recentLines: string[];
  /** Called with each complete line of its output as it arrives. */
  lineListeners: Set<(line: string) => void>;
  /** Set by the first stopScript(); a signal can make cleanup and a stop step race for it. */
  stopping: Promise<Ending> | null;
}

export interface ConsoleProcess extends ScriptProcess {
  url: string;
  ready: Promise<void>;
}

/** Signals a process group we started; false when none of it is left. */
export function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((wake) => setTimeout(wake, ms));
}

export interface ScriptOptions {
  name: string;
  /** Its path from the project root. */
  script: string;
  args?: string[];
  /** Node's own flags, before --import tsx. */
  nodeArgs?: string[];
  env: NodeJS.ProcessEnv;
  logPath: string;
}

/**
 * `node [nodeArgs] --import tsx <script> [args]` from the project root: no tsx relay process, so
 * the pid we signal is the script's. Detached, so that stopping it can reach every process it started.
 */
export function spawnScript(options: ScriptOptions): ScriptProcess {
  const argv = [...(options.nodeArgs ?? []), "--import", "tsx", options.script, ...(options.args ?? [])];
  const child = spawn(process.execPath, argv, { cwd: ROOT, env: options.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const log = createWriteStream(options.logPath);
  const recentLines: string[] = [];
  const lineListeners = new Set<(line: string) => void>();
  for (const stream of [child.stdout, child.stderr]) {
    let partial = "";
    stream?.on("data", (chunk: Buffer) => {
      log.write(chunk);
      const lines = (partial + chunk.toString()).split("\n");
      partial = lines.pop() ?? "";
      recentLines.push(...lines);
      recentLines.splice(0, Math.max(0, recentLines.length - LOG_TAIL_LINES));
      for (const line of lines) for (const listener of lineListeners) listener(line);
    });
  }
  const exit = new Promise<number | NodeJS.Signals>((resolveExit) => {
    child.once("exit", (code, signal) => resolveExit(code ?? signal ?? 1));
    child.once("error", () => resolveExit(1));
  });
  const closed = new Promise<void>((resolveClosed) => child.once("close", () => resolveClosed()));
  return { name: options.name, child, logPath: options.logPath, exit, closed, log, recentLines, lineListeners, stopping: null };
}

/** Loopback hosts the test consoles may send credentials to: the suites' stubs, five addresses being five hosts to the egress proxy. */
export const TEST_PRIVATE_ENDPOINTS = "127.0.0.1,127.0.0.2,127.0.0.3,127.0.0.4,127.0.0.5";

/**
 * `scripts/start.ts --no-build` on 127.0.0.1:`port` (and its egress proxy on `egressPort`, off without
 * one) with `env`, its output written to `logPath`. The caller has made the build current: a build
 * inside the start would count against the start's readiness timeout.
 */
export function spawnConsoleProcess(options: { env: NodeJS.ProcessEnv; port: number; egressPort?: number; logPath: string }): ConsoleProcess {
  const server = spawnScript({
    name: "the console",
    script: "scripts/start.ts",
    args: ["--no-build"],
    // The egress proxy only where a caller asks for it: two consoles must never race for 3128.
    env: { CONSOLE_EGRESS_PORT: String(options.egressPort ?? 0), ...options.env, HOST: "127.0.0.1", PORT: String(options.port) },
    logPath: options.logPath,
  });
  const ready = firstLine(server, READY_LINE).then(() => undefined);
  return { ...server, url: `http://127.0.0.1:${options.port}`, ready };
}

/** Its first output line that matches `pattern`; pending for as long as none does. */
function firstLine(script: ScriptProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolveLine) => {
    const listener = (line: string) => {
      const match = line.match(pattern);
      if (!match) return;
      script.lineListeners.delete(listener);
      resolveLine(match);
    };
    script.lineListeners.add(listener);
  });
}

/** Its last lines, indented, for an error message. */
export function logTail(script: ScriptProcess): string {
  return script.recentLines.map((line) => `  | ${line}`).join("\n");
}

/** The first line matching `pattern`; throws with its last lines if it exits or times out first. */
export async function waitForLine(script: ScriptProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    firstLine(script, pattern),
    script.exit.then((code) => `exited with ${code} before it printed ${pattern}`),
    new Promise<string>((resolveTimeout) => {
      timer = setTimeout(() => resolveTimeout(`did not print ${pattern} within ${timeoutMs / 1000} s`), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (typeof outcome === "string") throw new Error(`${script.name} ${outcome}; last lines of its log:\n${logTail(script)}`);
  return outcome;
}

/** Resolves once the console printed its ready line; throws with its last lines if it exits or times out first. */
export async function waitForReady(server: ConsoleProcess, timeoutMs: number): Promise<void> {
  await waitForLine(server, READY_LINE, timeoutMs);
}

/**
 * How a start that ought to be refused went: "ready", "timeout", or how it exited. Waits for its
 * output to close as well, so that its recentLines are complete.
 */
export async function startOutcome(server: ConsoleProcess, timeoutMs: number): Promise<"ready" | Ending> {
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    server.exit,
    server.ready.then(() => "ready" as const),
    new Promise<"timeout">((resolveTimeout) => (timer = setTimeout(() => resolveTimeout("timeout"), timeoutMs))),
  ]);
  clearTimeout(timer);
  await Promise.race([server.closed, sleep(5_000)]);
  return outcome;
}

/**
 * SIGTERM to the script only (a console closes its own children and the database), then SIGKILL
 * for whatever of its process group is left: a straggler could still hold a PGlite directory that
 * is about to be read or removed. Runs once per process; later calls get the same ending.
 */
export function stopScript(script: ScriptProcess): Promise<Ending> {
  script.stopping ??= terminate(script);
  return script.stopping;
}

async function terminate(script: ScriptProcess): Promise<Ending> {
  const pid = script.child.pid;
  if (pid === undefined) return 1;
  if (script.child.exitCode === null && script.child.signalCode === null) script.child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const exit = await Promise.race([
    script.exit,
    new Promise<"timeout">((resolveTimeout) => (timer = setTimeout(() => resolveTimeout("timeout"), STOP_TIMEOUT_MS))),
  ]);
  clearTimeout(timer);
  for (let waited = 0; signalGroup(pid, 0) && waited < 5_000; waited += 100) await sleep(100);
  signalGroup(pid, "SIGKILL");
  await Promise.race([script.closed, sleep(5_000)]);
  await new Promise<void>((resolveEnd) => script.log.end(() => resolveEnd()));
  return exit;
}
