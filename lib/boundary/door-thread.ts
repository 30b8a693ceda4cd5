import { Worker } from "node:worker_threads";
import type { ResolveTarget } from "@/lib/boundary/base-url-door";
import type { DoorObservations, DoorThreadSettings, FromDoorThread, Refusal, Resolution, ToDoorThread } from "@/lib/boundary/door-thread-protocol";
import { describeForLog, logUnexpected } from "@/lib/boundary/error-envelope";
import { ChangeCount, keepTerms } from "@/lib/boundary/kept-decisions";
import { BOUNDARY_LOOKUP_CHANNEL } from "@/lib/boundary/lookup";
import type { BoundaryObserver } from "@/lib/boundary/observer";
import { ConsoleError } from "@/lib/errors";
import type { RememberedRowsCoherence } from "@/lib/open-database";
import type { CountRequest } from "@/lib/ops/request-log";

/**
 * The base-URL door on a port and a thread of its own (CONSOLE_BOUNDARY_PORT). Measured in the
 * console's process, the door on the main thread paid for what Next brings there: on Node 20 the
 * async hooks of Next's AsyncLocalStorage run for every promise, tick and timer of every model
 * call, and each young-generation collection walks Next's large old generation. A thread has its
 * own event loop and heap, and none of that.
 *
 * The thread forwards; this side decides. A request the thread has no decision for is resolved
 * here, by the same lookup, caches and master keys as the door on the console's own port, and the
 * thread reuses that decision only on the terms lib/boundary/kept-decisions.ts sets out, so that a
 * rotation or a revocation applies to the thread's very next request exactly as it does here. Its
 * figures arrive about once a second, and at each scrape, and are counted in this process's metrics.
 */
export interface DoorThread {
  port: number;
  /** Whether the thread is up and listening (a readiness check). */
  alive(): boolean;
  /** Has the thread send the figures it gathered since its last report (before a metrics scrape). */
  collect(): Promise<void>;
  /** Stops taking connections; resolves once its requests in flight have ended (at once if the thread is down). */
  drained(): Promise<void>;
  /** Cuts what is still in flight, and ends the thread once it has reported its last figures and log lines. */
  close(): Promise<void>;
}

/** What the thread's figures are counted into: the console's metrics (lib/ops/metrics.ts). */
export interface DoorThreadCounters {
  observer: BoundaryObserver;
  countRequest: CountRequest;
  countDecisions(source: "kept" | "main", count: number): void;
}

export interface DoorThreadOptions extends Omit<DoorThreadSettings, "changes"> {
  resolveTarget: ResolveTarget;
  /** The coherence of the lookup behind resolveTarget: the thread reuses a decision only for as long as it allows. */
  coherence: RememberedRowsCoherence;
  counters: DoorThreadCounters;
  /** Told when the thread stopped unexpectedly, and when starting it again failed. */
  onTrouble: (problem: string) => void;
  /** Starts one thread running the door: newDoorWorker, unless a test keeps a handle on its threads to stop them. */
  newWorker?: (settings: DoorThreadSettings) => Worker;
}

/** A thread that stopped is started again after this long, doubling per failed start up to the most. */
const RESTART_DELAY_MS = { first: 1000, most: 30_000 };
/** How long a scrape waits for the thread's latest figures before it answers with what it has. */
const COLLECT_TIMEOUT_MS = 500;
/** How long a closing thread gets to report and flush its log before it is ended regardless. */
const CLOSE_TIMEOUT_MS = 2000;

/**
 * A worker thread does not inherit tsx's module hooks (privatenumber/tsx#354): the thread first
 * registers them, then loads the door's TypeScript entry with the console's path aliases.
 */
const WORKER_BOOTSTRAP = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(
  new URL("./door-thread-worker.ts", import.meta.url).href,
)}); });`;

/** A thread running the door with `settings`, not yet listening. */
export function newDoorWorker(settings: DoorThreadSettings): Worker {
  return new Worker(WORKER_BOOTSTRAP, { eval: true, workerData: settings });
}

/** A thrown refusal as the thread can rebuild it; anything but a ConsoleError is logged here and becomes the generic 500. */
function refusalOf(error: unknown, requestId: string): Refusal {
  if (!(error instanceof ConsoleError)) logUnexpected(requestId, error);
  const refusal = error instanceof ConsoleError ? error : new ConsoleError("api_error", "Internal server error");
  return {
    type: refusal.type,
    message: refusal.message,
    status: refusal.status,
    ...(refusal.details ? { details: refusal.details } : {}),
    ...(refusal.retryAfterSeconds !== undefined ? { retryAfterSeconds: refusal.retryAfterSeconds } : {}),
  };
}

function countObservations(observations: DoorObservations, counters: DoorThreadCounters): void {
  const { observer, countRequest, countDecisions } = counters;
  for (const [outcome, times] of Object.entries(observations.outcomes)) {
    for (let time = 0; time < times; time++) observer.outcome(outcome as keyof typeof observations.outcomes);
  }
  if (observations.bytes.upstream > 0) observer.bytes("upstream", observations.bytes.upstream);
  if (observations.bytes.downstream > 0) observer.bytes("downstream", observations.bytes.downstream);
  for (const seconds of observations.addedLatencySeconds) observer.addedLatency(seconds);
  for (const { route, method, status, seconds } of observations.requests) countRequest(route, method, status, seconds);
  if (observations.decisions.kept > 0) countDecisions("kept", observations.decisions.kept);
  if (observations.decisions.main > 0) countDecisions("main", observations.decisions.main);
}

type Waiters = Array<() => void>;

/** Starts the thread and resolves once it listens; rejects if it cannot (the error's code says why: EADDRINUSE…). */
export async function startDoorThread(options: DoorThreadOptions): Promise<DoorThread> {
  const { resolveTarget, coherence, counters, onTrouble, newWorker = newDoorWorker, ...settings } = options;
  const changes = new ChangeCount();
  await coherence.watch(BOUNDARY_LOOKUP_CHANNEL, () => changes.bump());
  const workerData: DoorThreadSettings = { ...settings, changes: changes.buffer };
  let stopping = false;
  /** The thread now listening, or null while it is down. */
  let running: Worker | null = null;
  const waiting = { reported: [] as Waiters, drained: [] as Waiters, closed: [] as Waiters };
  const wake = (waiters: Waiters) => waiters.splice(0).forEach((wakeOne) => wakeOne());

  /**
   * Sends `message` to the running thread and resolves at its answer in `waiters`, when the thread
   * stops, or after `timeoutMs` if given; at once when it is down.
   */
  const ask = async (message: ToDoorThread, waiters: Waiters, timeoutMs: number | null) => {
    if (!running) return;
    const thread = running;
    let timer: NodeJS.Timeout | undefined;
    const answered = new Promise<void>((resolveAnswer) => {
      waiters.push(resolveAnswer);
      thread.postMessage(message);
    });
    if (timeoutMs === null) return answered;
    await Promise.race([answered, new Promise<void>((resolveTimeout) => (timer = setTimeout(resolveTimeout, timeoutMs)))]);
    clearTimeout(timer);
  };

  const restartLater = (delayMs: number) => {
    setTimeout(() => {
      if (stopping) return;
      spawn().catch((error: unknown) => {
        onTrouble(`the credential boundary's thread could not start again: ${describeForLog(error)}`);
        restartLater(Math.min(delayMs * 2, RESTART_DELAY_MS.most));
      });
    }, delayMs).unref();
  };

  const spawn = (): Promise<number> =>
    new Promise((resolveStart, rejectStart) => {
      const worker = newWorker(workerData);
      const send = (message: ToDoorThread) => worker.postMessage(message);
      let listening = false;
      worker.on("error", (error) => {
        if (listening) onTrouble(`the credential boundary's thread failed: ${describeForLog(error)}`);
        else rejectStart(error);
      });
      worker.on("exit", (code) => {
        if (!listening) return;
        running = null;
        // Whoever waits on the thread waits no longer: it will not answer.
        for (const waiters of Object.values(waiting)) wake(waiters);
        if (stopping) return;
        onTrouble(`the credential boundary's thread stopped (exit code ${code}); starting it again`);
        restartLater(RESTART_DELAY_MS.first);
      });
      worker.on("message", (message: FromDoorThread) => {
        switch (message.kind) {
          case "resolve": {
            const changesBefore = changes.current();
            const answer = (resolution: Resolution) => send({ kind: "resolved", resolution });
            resolveTarget(message.sessionId, message.placeholder, message.requestId).then(
              ({ upstreamBase, ...target }) =>
                answer({ id: message.id, target: { ...target, upstreamBase: upstreamBase.href }, keep: keepTerms(changesBefore, coherence.trustedForMs()) }),
              (error: unknown) => answer({ id: message.id, refusal: refusalOf(error, message.requestId) }),
            );
            return;
          }
          case "observed":
            countObservations(message.observations, counters);
            return;
          case "listening":
            listening = true;
            // A thread that came up while the console began to stop is not kept.
            if (stopping) void worker.terminate();
            else running = worker;
            resolveStart(message.port);
            return;
          case "listen_failed":
            void worker.terminate();
            rejectStart(Object.assign(new Error(message.message), { code: message.code }));
            return;
          case "reported":
            wake(waiting.reported);
            return;
          case "drained":
            wake(waiting.drained);
            return;
          case "closed":
            wake(waiting.closed);
            return;
        }
      });
    });

  const port = await spawn();
  // A thread started again listens where the first one did, even when the first was given port 0.
  workerData.port = port;
  return {
    port,
    alive: () => running !== null,
    collect: () => ask({ kind: "report" }, waiting.reported, COLLECT_TIMEOUT_MS),
    drained: () => {
      stopping = true;
      return ask({ kind: "drain" }, waiting.drained, null);
    },
    close: async () => {
      stopping = true;
      const thread = running;
      await ask({ kind: "close" }, waiting.closed, CLOSE_TIMEOUT_MS);
      await thread?.terminate();
    },
  };
}
