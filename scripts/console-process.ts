// A console process started for tests: scripts/test.ts starts the suite's consoles with it, and
// e2e/api/own-console.ts the ones a test needs with settings of its own.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const READY_LINE = /Console ready at http:\/\//;
/** How long a console gets to exit on SIGTERM before its process group is killed. */
export const STOP_TIMEOUT_MS = 30_000;
const LOG_TAIL_LINES = 60;

/** How a console process ended: its exit code, the signal that ended it, or still running. */
export type Ending = number | NodeJS.Signals | "timeout";

export interface ConsoleProcess {
  child: ChildProcess;
  url: string;
  logPath: string;
  ready: Promise<void>;
  exit: Promise<number | NodeJS.Signals>;
  closed: Promise<void>;
  log: WriteStream;
  /** The last lines of its output, for the message when it fails. */
  recentLines: string[];
  /** Set by the first stopConsoleProcess(); a signal can make cleanup and a stop step race for it. */
  stopping: Promise<Ending> | null;
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

/**
 * `scripts/start.ts` on 127.0.0.1:`port` with `env`, its output written to `logPath`. `build`: let
 * the start script build when .next is missing or stale; otherwise --no-build. Detached, so that
 * stopping it can reach every process it started.
 */
export function spawnConsoleProcess(options: { env: NodeJS.ProcessEnv; port: number; logPath: string; build: boolean }): ConsoleProcess {
  const args = options.build ? ["scripts/start.ts"] : ["scripts/start.ts", "--no-build"];
  const child = spawn(join(ROOT, "node_modules", ".bin", "tsx"), args, {
    cwd: ROOT,
    env: { ...options.env, HOST: "127.0.0.1", PORT: String(options.port) },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log = createWriteStream(options.logPath);
  const recentLines: string[] = [];
  let markReady = (): void => undefined;
  const ready = new Promise<void>((resolveReady) => (markReady = resolveReady));
  for (const stream of [child.stdout, child.stderr]) {
    let partial = "";
    stream?.on("data", (chunk: Buffer) => {
      log.write(chunk);
      const lines = (partial + chunk.toString()).split("\n");
      partial = lines.pop() ?? "";
      recentLines.push(...lines);
      recentLines.splice(0, Math.max(0, recentLines.length - LOG_TAIL_LINES));
      if (lines.some((line) => READY_LINE.test(line))) markReady();
    });
  }
  const exit = new Promise<number | NodeJS.Signals>((resolveExit) => {
    child.once("exit", (code, signal) => resolveExit(code ?? signal ?? 1));
    child.once("error", () => resolveExit(1));
  });
  const closed = new Promise<void>((resolveClosed) => child.once("close", () => resolveClosed()));
  return { child, url: `http://127.0.0.1:${options.port}`, logPath: options.logPath, ready, exit, closed, log, recentLines, stopping: null };
}

/** Resolves once it printed its ready line; throws with its last lines if it exits or times out first. */
export async function waitForReady(server: ConsoleProcess, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    server.ready.then(() => "ready"),
    server.exit.then((code) => `exited with ${code} before it was ready`),
    new Promise<string>((resolveTimeout) => {
      timer = setTimeout(() => resolveTimeout(`not ready within ${timeoutMs / 1000} s`), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (outcome !== "ready") {
    const tail = server.recentLines.map((line) => `  | ${line}`).join("\n");
    throw new Error(`the console ${outcome}; last lines of its log:\n${tail}`);
  }
}

/**
 * SIGTERM to the start script only (it closes its own children and the database), then SIGKILL
 * for whatever of its process group is left: a straggler could still hold a PGlite directory that
 * is about to be read or removed. Runs once per process; later calls get the same ending.
 */
export function stopConsoleProcess(server: ConsoleProcess): Promise<Ending> {
  server.stopping ??= terminate(server);
  return server.stopping;
}

async function terminate(server: ConsoleProcess): Promise<Ending> {
  const pid = server.child.pid;
  if (pid === undefined) return 1;
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const exit = await Promise.race([
    server.exit,
    new Promise<"timeout">((resolveTimeout) => (timer = setTimeout(() => resolveTimeout("timeout"), STOP_TIMEOUT_MS))),
  ]);
  clearTimeout(timer);
  for (let waited = 0; signalGroup(pid, 0) && waited < 5_000; waited += 100) await sleep(100);
  signalGroup(pid, "SIGKILL");
  await Promise.race([server.closed, sleep(5_000)]);
  await new Promise<void>((resolveEnd) => server.log.end(() => resolveEnd()));
  return exit;
}
