import { launchRunner } from "@/lib/runner/launch";
import type { RunClaim } from "@/lib/runner/protocol";
import type { LaunchedRunner, RunLauncher } from "@/lib/runner/worker";

/** Where and how runners start: the console's URL as they reach it, the root of the per-session dirs, isolation. */
export interface LaunchSettings {
  consoleUrl: string;
  workRoot: string;
  /** Run each runner in its own network and mount namespace (needs root). */
  isolate: boolean;
}

/** The worker's launcher, bound to this machine's settings: the claim's egress port decides the runner's mode. */
export function runnerLauncher(settings: LaunchSettings): RunLauncher {
  return (claim: RunClaim): Promise<LaunchedRunner> => launchRunner(claim, settings);
}
