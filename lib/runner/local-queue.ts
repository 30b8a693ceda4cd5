import type { RunJob } from "@/lib/runner/protocol";
import type { RunJobSource, RunQueue } from "@/lib/runner/queue";

/**
 * The embedded console's queue (PGlite: one process owns the database, so no other machine can
 * work it): jobs live in memory and go to this process's workers the moment one is free. A job lost
 * with the process is not lost for the run: the lease sweep sends the run again after a restart.
 */
export function createLocalRunQueue(): RunQueue & RunJobSource {
  const waiting: RunJob[] = [];
  const consumers: { free: number; handle: (job: RunJob) => Promise<void>; stopped: boolean }[] = [];

  const pump = () => {
    for (const consumer of consumers) {
      while (!consumer.stopped && consumer.free > 0 && waiting.length > 0) {
        const job = waiting.shift() as RunJob;
        consumer.free -= 1;
        void consumer
          .handle(job)
          .catch(() => undefined)
          .finally(() => {
            consumer.free += 1;
            pump();
          });
      }
    }
  };

  return {
    async send(job) {
      waiting.push(job);
      pump();
    },
    async consume(concurrency, handle) {
      const consumer = { free: concurrency, handle, stopped: false };
      consumers.push(consumer);
      pump();
      return async () => {
        consumer.stopped = true;
      };
    },
  };
}
