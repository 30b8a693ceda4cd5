/**
 * What a front door reports about each request it answers, for the console's metrics: the outcome
 * in a closed set of words, the bytes each way, and the time it spent before handing the request
 * upstream. Words and numbers only: no session, host or credential, so nothing here can leak.
 */
export type BoundaryOutcome = "forwarded" | "tunnelled" | "unauthenticated" | "refused" | "bad_request" | "upstream_error";

export interface BoundaryObserver {
  outcome(outcome: BoundaryOutcome): void;
  bytes(direction: "upstream" | "downstream", count: number): void;
  /** Seconds from the request's arrival until it was handed to the upstream (lookup, policy, opening the secret). */
  addedLatency(seconds: number): void;
}

export const UNOBSERVED: BoundaryObserver = { outcome: () => undefined, bytes: () => undefined, addedLatency: () => undefined };

/** A refusal's status, as an outcome word. */
export function refusalOutcome(status: number): BoundaryOutcome {
  if (status === 401 || status === 407) return "unauthenticated";
  if (status === 400 || status === 413) return "bad_request";
  if (status >= 500) return "upstream_error";
  return "refused";
}

/** Seconds since a `performance.now()` reading. */
export function secondsSince(startedAt: number): number {
  return (performance.now() - startedAt) / 1000;
}
