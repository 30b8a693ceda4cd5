// The worker's launcher, bound to this machine's settings: a warm pool of runners already started
// (in their namespace, the Agent SDK loaded) hands each claimed run to one of them over its stdin,
// so a turn does not wait for a namespace, node and the SDK's module (about 0.8 s of the old cold
// start). The claim's egress port decides which namespace a runner needs: the pool is kept for one
// port (the console's own, given up front, or the first claim's) and moves when claims name another.
import { componentLog } from "@/lib/ops/logger";
import { launchRunner, spawnRunner, type LaunchedRunner, type RunnerPlace, type WaitingRunner } from "@/lib/runner/launch";
import type { RunClaim } from "@/lib/runner/protocol";
import type { RunnerSteps } from "@/lib/runner/steps";
import { createWarmPool, type WarmPool } from "@/lib/runner/warm-pool";
import type { RunLauncher } from "@/lib/runner/worker";

/** Idle runners kept warm per worker when not told: two, or fewer when the worker runs fewer at once. */
export const DEFAULT_WARM_RUNNERS = 2;

export function warmPoolSize(runners: number, configured: number | undefined): number {
  return Math.min(configured ?? DEFAULT_WARM_RUNNERS, runners);
}

/** Where and how runners start: the console's URL as they reach it, the root of the per-session dirs, isolation. */
export interface LaunchSettings {
  consoleUrl: string;
  workRoot: string;
  /** Run each runner in its own network and mount namespace (needs root). */
  isolate: boolean;
  /** Idle runners kept started; 0 starts each run's runner when it is claimed. */
  warm: number;
  /** The egress port runs will name (the console's own; null when it runs none), to fill the pool at once; unknown: after the first claim. */
  egressPort?: number | null;
  /** Where problems are reported, one warning each (the console's log, component `runs`, by default). */
  log?: (line: string) => void;
}

export interface RunnerLauncher {
  launch: RunLauncher;
  /** How many warm runners wait now (for the banner and tests). */
  readonly idle: number;
  /** Resolves once the pool is full (at once when there is none). */
  filled(): Promise<void>;
  /** Kills the idle runners and starts no more; runners working a run are the worker's. */
  stop(): Promise<void>;
}

export interface LauncherParts {
  spawn: (place: RunnerPlace) => Promise<WaitingRunner>;
  cold: (claim: RunClaim, place: RunnerPlace, steps?: RunnerSteps) => Promise<LaunchedRunner>;
}

export function runnerLauncher(settings: LaunchSettings, parts: LauncherParts = { spawn: spawnRunner, cold: launchRunner }): RunnerLauncher {
  const log = settings.log ?? componentLog("runs").warn;
  let current: { egressPort: number | null; pool: WarmPool<WaitingRunner> } | null = null;
  let stopped = false;
  const retired: Array<Promise<void>> = [];

  const place = (egressPort: number | null): RunnerPlace => ({
    consoleUrl: settings.consoleUrl,
    workRoot: settings.workRoot,
    isolate: settings.isolate,
    egressPort,
  });

  /** The pool for runs naming this egress port, started (empty) when there was none for it. */
  function poolFor(egressPort: number | null): WarmPool<WaitingRunner> | null {
    if (settings.warm === 0 || stopped) return null;
    if (current?.egressPort === egressPort) return current.pool;
    if (current) retired.push(current.pool.stop());
    current = { egressPort, pool: createWarmPool({ size: settings.warm, spawn: () => parts.spawn(place(egressPort)), log }) };
    return current.pool;
  }
  if (settings.egressPort !== undefined) poolFor(settings.egressPort);

  return {
    async launch(claim, steps) {
      const warm = poolFor(claim.egress_port)?.take();
      if (warm) {
        try {
          return await warm.start(claim, steps);
        } catch (error) {
          // It ended while waiting (killed, out of memory): this run starts its own.
          log(`${claim.run_id}: a warm runner could not take the run (${error instanceof Error ? error.message : String(error)}); starting one`);
        }
      }
      return parts.cold(claim, place(claim.egress_port), steps);
    },
    get idle() {
      return current?.pool.idle ?? 0;
    },
    filled() {
      return current?.pool.filled() ?? Promise.resolve();
    },
    async stop() {
      stopped = true;
      await Promise.all([current?.pool.stop(), ...retired]);
    },
  };
}
