import type { RunClaim } from "@/lib/runner/protocol";
import type { LaunchedRunner, RunLauncher } from "@/lib/runner/worker";

/** Where and how runners start: the console's URL as they reach it, the root of the per-session dirs, isolation. */
export interface LaunchSettings {
  consoleUrl: string;
  workRoot: string;
  /** Run each runner in its own network and mount namespace (needs root). */
  isolate: boolean;
}

/**
 * The worker's launcher, bound to this machine's settings.
 * LEAD: swap the body for `(claim) => launchRunner(claim, settings)` from lib/runner/launch.ts (the
 * runner helper's) once merged; until then no runner exists, so a claimed run ends as runner_died
 * (retried once, then a session.error saying so).
 */
export function runnerLauncher(settings: LaunchSettings): RunLauncher {
  return async (claim: RunClaim): Promise<LaunchedRunner> => {
    throw new Error(`no runner is built into this console yet (run ${claim.run_id}, work root ${settings.workRoot})`);
  };
}
