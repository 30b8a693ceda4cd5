// Starts the runner process for one claimed run (SPEC §7a): in a per-session directory
// (<workRoot>/<session id>/, its HOME; the agent works in work/), with exactly the RUNNER_ENV
// variables, PATH and HOME, and as root in its own network namespace whose only way out is the
// console's HTTP port and its egress proxy, forwarded to the same 127.0.0.1 ports inside so the
// runtime settings' URLs work as they are. Elsewhere it runs directly, after one printed warning.
import { spawn } from "node:child_process";
import { mkdirSync, renameSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { build } from "esbuild";

import { netnsUnavailable, spawnInNetns, SYSTEM_PATH, type Forward } from "./netns";
import { RUNNER_ENV, type RunClaim } from "./protocol";

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

export interface LaunchedRunner {
  /** The runner's own process (node running agent-runner), whose environment is exactly what it was given. */
  pid: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Stops the runner (and, isolated, its namespace's relay) with SIGKILL. */
  kill(): void;
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

/** The runner's whole environment: the run's coordinates and key, the system PATH, its HOME. */
function runnerEnv(claim: RunClaim, options: LaunchOptions & { egressPort: number | null }, home: string): Record<string, string> {
  const { api_key: apiKey, ...claimWithoutKey } = claim;
  return {
    [RUNNER_ENV.consoleUrl]: options.consoleUrl,
    [RUNNER_ENV.apiKey]: apiKey,
    [RUNNER_ENV.sessionId]: claim.session_id,
    [RUNNER_ENV.runId]: claim.run_id,
    [RUNNER_ENV.mode]: options.egressPort === null ? "boundary" : "egress",
    [RUNNER_ENV.claim]: JSON.stringify(claimWithoutKey),
    PATH: SYSTEM_PATH,
    HOME: home,
  };
}

export async function launchRunner(claim: RunClaim, launchOptions: LaunchOptions): Promise<LaunchedRunner> {
  const options = { ...launchOptions, egressPort: launchOptions.egressPort === undefined ? claim.egress_port : launchOptions.egressPort };
  const home = join(options.workRoot, claim.session_id);
  const cwd = join(home, "work");
  mkdirSync(cwd, { recursive: true, mode: 0o700 });
  const script = await runnerScript();
  const env = runnerEnv(claim, options, home);
  const args = [script];

  const unavailable = options.isolate ? netnsUnavailable() : null;
  if (options.isolate && unavailable === null) {
    const consoleUrl = new URL(options.consoleUrl);
    const consolePort = Number(consoleUrl.port) || (consoleUrl.protocol === "https:" ? 443 : 80);
    const local = (port: number): Forward => ({ port, to: { host: "127.0.0.1", port } });
    const forwards = [local(consolePort), ...(options.egressPort === null ? [] : [local(options.egressPort)])];
    const started = await spawnInNetns({ command: process.execPath, args, env, forwards, cwd, stdio: "inherit" });
    const relayPid = started.child.pid as number;
    const kill = () => {
      try {
        process.kill(-relayPid, "SIGKILL");
      } catch {
        // already gone
      }
    };
    try {
      return { pid: await started.commandPid, exited: started.exited, kill };
    } catch (error) {
      kill();
      throw error;
    }
  }

  if (options.isolate && !warnedIsolationOff) {
    warnedIsolationOff = true;
    console.warn(`[runner] isolation is off: ${unavailable}; runners share this host's network (run the console as root to give each its own namespace)`);
  }
  // Exactly the given variables; Next's ProcessEnv typing would insist on NODE_ENV.
  const child = spawn(process.execPath, args, { env: env as NodeJS.ProcessEnv, cwd, stdio: ["ignore", "inherit", "inherit"] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.on("close", (code, signal) => resolveExit({ code, signal })),
  );
  await new Promise<void>((resolveSpawn, rejectSpawn) => {
    child.once("spawn", resolveSpawn);
    child.once("error", rejectSpawn);
  });
  return { pid: child.pid as number, exited, kill: () => child.kill("SIGKILL") };
}
