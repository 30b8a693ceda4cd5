import type { BoundaryTarget } from "@/lib/boundary/base-url-target";
import type { KeepTerms } from "@/lib/boundary/kept-decisions";
import type { BoundaryOutcome } from "@/lib/boundary/observer";
import type { ErrorDetails, ErrorType } from "@/lib/errors";

/**
 * The messages between the console's main thread and its door thread (lib/boundary/door-thread.ts).
 * Both ends are this build's own code in one process, so these are plain types, not a parsed edge.
 */

/** What the thread is started with. */
export interface DoorThreadSettings {
  host: string;
  port: number;
  /** CONSOLE_PRIVATE_ENDPOINTS, as the main thread parsed it. */
  privateEndpoints: string[];
  /** The main thread's count of boundary changes (lib/boundary/kept-decisions.ts ChangeCount). */
  changes: SharedArrayBuffer;
}

/** A refusal as it crosses threads: the fields of a ConsoleError that its envelope is made of. */
export interface Refusal {
  type: ErrorType;
  message: string;
  status: number;
  details?: ErrorDetails;
  retryAfterSeconds?: number;
}

/**
 * What a request resolved to in the main thread: where its token goes, and for how long the thread
 * may reuse that (null: not at all), or its refusal.
 */
export type Resolution =
  { id: number; target: Omit<BoundaryTarget, "upstreamBase"> & { upstreamBase: string }; keep: KeepTerms | null } | { id: number; refusal: Refusal };

/** The door's requests and outcomes since its last report, for the main thread's metrics (lib/ops/metrics.ts). */
export interface DoorObservations {
  outcomes: Partial<Record<BoundaryOutcome, number>>;
  bytes: { upstream: number; downstream: number };
  addedLatencySeconds: number[];
  /** Per request: its route template, method, status and duration in seconds. */
  requests: Array<{ route: string; method: string; status: number; seconds: number }>;
  /** How many requests reused a kept decision, and how many asked the main thread. */
  decisions: { kept: number; main: number };
}

export type FromDoorThread =
  | { kind: "resolve"; id: number; sessionId: string; placeholder: string | null; requestId: string }
  | { kind: "listening"; port: number }
  | { kind: "listen_failed"; code: string; message: string }
  | { kind: "observed"; observations: DoorObservations }
  | { kind: "reported" }
  | { kind: "drained" }
  | { kind: "closed" };

/**
 * report: send the figures gathered so far now (a scrape is waiting); drain: stop taking connections
 * and say when the last request ended; close: cut the rest, report, flush the log.
 */
export type ToDoorThread = { kind: "resolved"; resolution: Resolution } | { kind: "report" } | { kind: "drain" } | { kind: "close" };
