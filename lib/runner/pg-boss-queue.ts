import PgBoss from "pg-boss";
import { runJobSchema, type RunJob } from "@/lib/runner/protocol";
import type { RunJobSource, RunQueue } from "@/lib/runner/queue";

/** The pg-boss queue of runs, in pg-boss's own schema (`pgboss`) of the console's database. */
export const RUN_QUEUE_NAME = "session-runs";
/** How often an idle remote worker asks for a job; a job sent by this process wakes its own workers at once. */
const POLL_SECONDS = 1;

export interface PgBossRunQueue extends RunQueue, RunJobSource {
  stop(): Promise<void>;
}

/**
 * Runs on PostgreSQL: the console sends to pg-boss and workers anywhere (this process, `npm run
 * runner` on other machines) fetch with SKIP LOCKED, so each job goes to one worker. pg-boss's own
 * retries are off: a run's retry is the console's (a new claim token, lib/server/run-lifecycle.ts),
 * and a job whose token is stale is simply unclaimable.
 */
export async function createPgBossRunQueue(databaseUrl: string, onError: (error: Error) => void): Promise<PgBossRunQueue> {
  const boss = new PgBoss({ connectionString: databaseUrl, max: 4, schedule: false, application_name: "console-run-queue" });
  boss.on("error", onError);
  await boss.start();
  await boss.createQueue(RUN_QUEUE_NAME, { name: RUN_QUEUE_NAME, retryLimit: 0, expireInHours: 6 });
  const localWorkers = new Set<string>();

  return {
    async send(job) {
      await boss.send(RUN_QUEUE_NAME, job, { retryLimit: 0, expireInHours: 6 });
      // The workers of this process fetch now rather than at their next poll.
      for (const id of localWorkers) boss.notifyWorker(id);
    },
    async consume(concurrency, handle) {
      const ids: string[] = [];
      for (let index = 0; index < concurrency; index += 1) {
        const id = await boss.work<RunJob>(RUN_QUEUE_NAME, { batchSize: 1, pollingIntervalSeconds: POLL_SECONDS }, async ([job]: PgBoss.Job<RunJob>[]) => {
          const parsed = job && runJobSchema.safeParse(job.data);
          if (parsed?.success) await handle(parsed.data);
        });
        ids.push(id);
        localWorkers.add(id);
      }
      return async () => {
        for (const id of ids) {
          localWorkers.delete(id);
          await boss.offWork({ id });
        }
      };
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
