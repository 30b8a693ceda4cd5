// The runs side of a console process (scripts/start.ts): the queue the services send new runs to,
// this process's workers, and the lease sweep. Embedded (PGlite): an in-memory queue worked here.
// PostgreSQL: pg-boss in the console's database, worked here and by `npm run runner` anywhere.
import { join } from "node:path";
import type { ConsoleEnv } from "@/lib/env";
import { shareRunQueue } from "@/lib/instances";
import type { ComponentLog } from "@/lib/ops/logger";
import { createLocalRunQueue } from "@/lib/runner/local-queue";
import { createPgBossRunQueue } from "@/lib/runner/pg-boss-queue";
import type { RunJobSource, RunQueue } from "@/lib/runner/queue";
import { runnerLauncher, warmPoolSize, type RunnerLauncher } from "@/lib/runner/runner-launcher";
import { createRunWorker, type RunWorker } from "@/lib/runner/worker";
import { releaseRestingRuns, sweepRuns } from "@/lib/server/run-lifecycle";

/** How often each console process looks for runs past their lease: every 10 s, or a sixth of a shorter lease. */
function sweepIntervalMs(leaseSeconds: number): number {
  return Math.min(10_000, (leaseSeconds * 1000) / 6);
}

/** How often each console process looks for runs waiting while others rest. */
const RELEASE_INTERVAL_MS = 1000;

export interface ConsoleRuns {
  /** One line for the banner. */
  summary: string;
  stop(): Promise<void>;
}

/** The queue, shared with the services (shareRunQueue), this process's workers and the sweep timer. */
export async function startConsoleRuns(env: ConsoleEnv, consoleUrl: string, log: ComponentLog): Promise<ConsoleRuns> {
  const pgBoss = env.DATABASE_URL ? await createPgBossRunQueue(env.DATABASE_URL, (error) => log.warn(`queue: ${error.message}`)) : null;
  const queue: RunQueue & RunJobSource = pgBoss ?? createLocalRunQueue();
  shareRunQueue(queue);

  // Runners started ahead of their runs, for this console's own egress port (its claims name it).
  const launcher: RunnerLauncher | null =
    env.CONSOLE_RUNNERS === 0
      ? null
      : runnerLauncher({
          consoleUrl,
          workRoot: env.CONSOLE_RUNNER_DIR ?? join(env.CONSOLE_DATA_DIR, "runs"),
          isolate: process.getuid?.() === 0,
          warm: warmPoolSize(env.CONSOLE_RUNNERS, env.CONSOLE_RUNNER_POOL),
          egressPort: env.CONSOLE_EGRESS_PORT === 0 ? null : env.CONSOLE_EGRESS_PORT,
          log: log.warn,
        });
  const worker: RunWorker | null = launcher
    ? await createRunWorker({ consoleUrl, jobs: queue, concurrency: env.CONSOLE_RUNNERS, launch: launcher.launch, log: log.warn })
    : null;
  const warm = warmPoolSize(env.CONSOLE_RUNNERS, env.CONSOLE_RUNNER_POOL);

  let sweeping: Promise<void> = Promise.resolve();
  const sweep = () => {
    sweeping = sweepRuns()
      .then(({ resent, died }) => {
        if (resent + died > 0) log.info(`sweep: ${resent} queued run(s) sent again, ${died} run(s) whose runner went silent`);
      })
      .catch((error: unknown) => log.warn(`sweep failed: ${error instanceof Error ? error.message : String(error)}`));
  };
  const timer = setInterval(sweep, sweepIntervalMs(env.CONSOLE_RUN_LEASE_SECONDS));
  timer.unref();
  // Resting runners hold their workers' places: a run left waiting for one ends the longest rest.
  let releasing: Promise<void> | null = null;
  const releaseTimer =
    env.CONSOLE_RUNNER_REST_SECONDS > 0
      ? setInterval(() => {
          releasing ??= releaseRestingRuns()
            .then((released) => {
              if (released > 0) log.info(`${released} resting runner(s) ended to make room for waiting runs`);
            })
            .catch((error: unknown) => log.warn(`releasing resting runs failed: ${error instanceof Error ? error.message : String(error)}`))
            .finally(() => (releasing = null));
        }, RELEASE_INTERVAL_MS)
      : null;
  releaseTimer?.unref();

  const where = pgBoss ? "pg-boss queue session-runs (npm run runner adds workers elsewhere)" : "in-process queue";
  return {
    summary: worker
      ? `  runners: ${env.CONSOLE_RUNNERS} in this process (${warm} kept warm), ${where}`
      : `  runners: none in this process (CONSOLE_RUNNERS=0), ${where}`,
    async stop() {
      clearInterval(timer);
      if (releaseTimer) clearInterval(releaseTimer);
      await releasing;
      await worker?.stop();
      await launcher?.stop();
      await sweeping;
      shareRunQueue(null);
      await pgBoss?.stop();
    },
  };
}
