import type { RunJob } from "@/lib/runner/protocol";

/**
 * Where the console puts a run for some worker to claim: the embedded scheduler (PGlite, one
 * process) or pg-boss (PostgreSQL, workers on any machine). Sending is at-least-once and may
 * duplicate: a run's claim token, replaced on every send, makes any stale job unclaimable.
 */
export interface RunQueue {
  send(job: RunJob): Promise<void>;
}

/** Hands a worker its jobs: at most `concurrency` handlers run at once, each job goes to one handler. */
export interface RunJobSource {
  /** Starts handing out jobs; the returned stop takes no more (handlers already running keep running). */
  consume(concurrency: number, handle: (job: RunJob) => Promise<void>): Promise<() => Promise<void>>;
}
