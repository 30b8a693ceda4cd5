// Starts runner processes (SPEC §7a). spawnRunner() starts one before any run is known (the warm
// pool's way): with exactly RUNNER_ENV, PATH and a HOME of no session's (the work root), and as root
// in its own network namespace whose only way out is the console's HTTP port and, in egress mode,
// its egress proxy, forwarded to the same 127.0.0.1 ports inside so the runtime settings' URLs work
// as they are; elsewhere it runs directly, after one printed warning. start(claim) then gives it its
// one run over stdin, with the run's key and its per-session directory (<workRoot>/<session id>/,
// the CLI's HOME; the agent works in work/). launchRunner() does both at once (a cold start).
import { spawn } from "node:child_process";
import { mkdirSync, renameSync } from "node:fs";
import { join } from "node:path";
import type { Writable } from "node:stream";
import { fileURLToPath } from "node:url";

import { build } from "esbuild";
import { componentLog } from "@/lib/ops/logger";

import { netnsUnavailable, spawnInNetns, SYSTEM_PATH, type Forward } from "./netns";
import { RUNNER_ENV, type RunClaim, type RunnerStart } from "./protocol";
import type { RunnerSteps } from "./steps";

const SOURCE = fileURLToPath(new URL("./agent-runner.ts", import.meta.url));
const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BUNDLE_DIR = join(REPO_ROOT, ".tmp", "runner");

export interface LaunchOptions {
  /** The console's base URL as the runner reaches it (http://127.0.0.1:<port>). */
  consoleUrl: string;
  /** The console's egress proxy port, or null: the runner asks for boundary-mode settings then. The claim's by default. */
  egressPort?: number | null;
  /** Where per-session directories are made. */
  workRoot: string;
  /** Run in a network namespace (needs root); false runs directly without a warning. */
  isolate: boolean;
}

/** Where a runner is started before its run is known: everything of LaunchOptions, the egress port decided. */
export type RunnerPlace = Omit<LaunchOptions, "egressPort"> & { egressPort: number | null };

export interface LaunchedRunner {
  /** The runner's own process (node running agent-runner), whose environment is exactly what it was given. */
  pid: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Stops the runner (and, isolated, its namespace's relay) with SIGKILL. */
  kill(): void;
}

/** A started runner waiting on its stdin for the one run it will work. */
export interface WaitingRunner extends LaunchedRunner {
  /** The egress port its namespace forwards (null: none, boundary mode): a claim must name the same. */
  egressPort: number | null;
  /** Hands it its run; rejects when it ended before it could take it (it is killed then). */
  start(claim: RunClaim, steps?: RunnerSteps): Promise<LaunchedRunner>;
}

let bundled: Promise<string> | undefined;

/**
 * The runner as one small ES module (its dependencies stay in node_modules), built once per
 * process into .tmp/runner: node starts it in tens of milliseconds, where a TypeScript loader
 * would add hundreds to every turn. Written under a temporary name and renamed, so a second
 * console building at the same moment never starts a half-written file.
 */
export function runnerScript(): Promise<string> {
  bundled ??= (async () => {
    mkdirSync(BUNDLE_DIR, { recursive: true });
    const output = join(BUNDLE_DIR, "agent-runner.mjs");
    const partial = `${output}.${process.pid}.tmp`;
    await build({
      entryPoints: [SOURCE],
      outfile: partial,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      tsconfig: join(REPO_ROOT, "tsconfig.json"),
      logLevel: "warning",
    });
    renameSync(partial, output);
    return output;
  })();
  bundled.catch(() => (bundled = undefined));
  return bundled;
}

let warnedIsolationOff = false;

/** The runner's whole environment: the console's URL, the system PATH, a HOME of no session's. Never a key. */
function runnerEnv(place: RunnerPlace): Record<string, string> {
  return { [RUNNER_ENV.consoleUrl]: place.consoleUrl, PATH: SYSTEM_PATH, HOME: place.workRoot };
}

/** Starts a runner for a run still to come: it loads the Agent SDK and waits on its stdin. */
export async function spawnRunner(place: RunnerPlace): Promise<WaitingRunner> {
  mkdirSync(place.workRoot, { recursive: true, mode: 0o700 });
  const script = await runnerScript();
  const env = runnerEnv(place);
  const args = [script];
  let started: { pid: number; stdin: Writable; exited: LaunchedRunner["exited"]; kill(): void };

  const unavailable = place.isolate ? netnsUnavailable() : null;
  if (place.isolate && unavailable === null) {
    const consoleUrl = new URL(place.consoleUrl);
    const consolePort = Number(consoleUrl.port) || (consoleUrl.protocol === "https:" ? 443 : 80);
    const local = (port: number): Forward => ({ port, to: { host: "127.0.0.1", port } });
    const forwards = [local(consolePort), ...(place.egressPort === null ? [] : [local(place.egressPort)])];
    const namespaced = await spawnInNetns({ command: process.execPath, args, env, forwards, cwd: place.workRoot, stdio: "inherit", stdin: "pipe" });
    const relayPid = namespaced.child.pid as number;
    const kill = () => {
      try {
        process.kill(-relayPid, "SIGKILL");
      } catch {
        // already gone
      }
    };
    try {
      started = { pid: await namespaced.commandPid, stdin: namespaced.child.stdin as Writable, exited: namespaced.exited, kill };
    } catch (error) {
      kill();
      throw error;
    }
  } else {
    if (place.isolate && !warnedIsolationOff) {
      warnedIsolationOff = true;
      componentLog("runs").warn(
        `runner isolation is off: ${unavailable}; runners share this host's network (run the console as root to give each its own namespace)`,
      );
    }
    // Exactly the given variables; Next's ProcessEnv typing would insist on NODE_ENV.
    const child = spawn(process.execPath, args, { env: env as NodeJS.ProcessEnv, cwd: place.workRoot, stdio: ["pipe", "inherit", "inherit"] });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
      child.on("close", (code, signal) => resolveExit({ code, signal })),
    );
    await new Promise<void>((resolveSpawn, rejectSpawn) => {
      child.once("spawn", resolveSpawn);
      child.once("error", rejectSpawn);
    });
    started = { pid: child.pid as number, stdin: child.stdin as Writable, exited, kill: () => child.kill("SIGKILL") };
  }

  let ended = false;
  void started.exited.then(() => (ended = true));
  // A runner that ends before its run arrives makes the write fail (EPIPE): start() reports that.
  let writeError: Error | null = null;
  started.stdin.on("error", (error) => (writeError = error));
  const { pid, exited, kill, stdin } = started;
  return {
    pid,
    exited,
    kill,
    egressPort: place.egressPort,
    async start(claim, steps) {
      if (claim.egress_port !== place.egressPort) throw new Error(`this runner forwards egress port ${place.egressPort}, the claim names ${claim.egress_port}`);
      const home = join(place.workRoot, claim.session_id);
      mkdirSync(join(home, "work"), { recursive: true, mode: 0o700 });
      const message: RunnerStart = {
        claim,
        mode: place.egressPort === null ? "boundary" : "egress",
        home,
        ...(steps ? { steps: { ...steps, handed: Date.now() } } : {}),
      };
      try {
        if (ended || writeError) throw writeError ?? new Error("the runner ended before its run arrived");
        await new Promise<void>((resolveWrite, rejectWrite) => {
          stdin.once("error", rejectWrite);
          stdin.end(`${JSON.stringify(message)}\n`, () => resolveWrite());
        });
      } catch (error) {
        kill();
        throw error;
      }
      return { pid, exited, kill };
    },
  };
}

/** A cold start: a new runner, handed its run at once (the claim's egress port unless the options name one). */
export async function launchRunner(claim: RunClaim, launchOptions: LaunchOptions, steps?: RunnerSteps): Promise<LaunchedRunner> {
  const egressPort = launchOptions.egressPort === undefined ? claim.egress_port : launchOptions.egressPort;
  const runner = await spawnRunner({ ...launchOptions, egressPort });
  return runner.start({ ...claim, egress_port: egressPort }, steps);
}
