import type { RunJob } from "@/lib/runner/protocol";

/**
 * Where the console puts a run for some worker to claim: the embedded scheduler (PGlite, one
 * process) or pg-boss (PostgreSQL, workers on any machine). Sending is at-least-once and may
 * duplicate: a run's claim token, replaced on every send, makes any stale job unclaimable.
 */
export interface RunQueue {
  send(job: RunJob): Promise<void>;
}
