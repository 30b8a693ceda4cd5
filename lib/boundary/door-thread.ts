import { Worker } from "node:worker_threads";
import type { ResolveTarget } from "@/lib/boundary/base-url-door";
import type { DoorObservations, DoorThreadSettings, FromDoorThread, Refusal, Resolution, ToDoorThread } from "@/lib/boundary/door-thread-protocol";
import { ChangeCount, type KeepTerms } from "@/lib/boundary/kept-decisions";
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
 * figures arrive about once a second and are counted in this process's metrics as the main door's.
 */
export interface DoorThread {
  port: number;
  /** Whether the thread is up and listening (a readiness check). */
  alive(): boolean;
  /** Has the thread send the figures it gathered since its last report (before a metrics scrape). */
  collect(): Promise<void>;
  /** Stops taking connections; resolves once its requests in flight have ended. */
  drained(): Promise<void>;
  /** Cuts what is still in flight, and ends the thread once it has reported its last figures and log lines. */
  close(): Promise<void>;
}

export interface DoorThreadOptions extends Omit<DoorThreadSettings, "changes"> {
  resolveTarget: ResolveTarget;
  /** The coherence of the lookup behind resolveTarget: the thread reuses a decision only for as long as it allows. */
  coherence: RememberedRowsCoherence;
  observer: BoundaryObserver;
  countRequest: CountRequest;
  /** Told when the thread stopped unexpectedly and is started again. */
  onRestart: (problem: string) => void;
}

/** The longest a decision may be reused while trust has no end (the embedded database): a day, which nanoseconds in a bigint hold. */
const MAX_KEEP_MS = 24 * 60 * 60_000;
/** A thread that stopped is started again after this long, so a thread that cannot run does not spin. */
const RESTART_DELAY_MS = 1000;
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

/** A thrown refusal as the thread can rebuild it; anything but a ConsoleError becomes the generic 500. */
function refusalOf(error: unknown): Refusal {
  const refusal = error instanceof ConsoleError ? error : new ConsoleError("api_error", "Internal server error");
  return {
    type: refusal.type,
    message: refusal.message,
    status: refusal.status,
    ...(refusal.details ? { details: refusal.details } : {}),
    ...(refusal.retryAfterSeconds !== undefined ? { retryAfterSeconds: refusal.retryAfterSeconds } : {}),
  };
}

/** How long the thread may reuse a decision made now, from the change count read before making it; null: not at all. */
function keepTerms(changes: number, coherence: RememberedRowsCoherence): KeepTerms | null {
  const trustedForMs = Math.min(coherence.trustedForMs(), MAX_KEEP_MS);
  if (trustedForMs <= 0) return null;
  return { changes, trustedUntilNs: process.hrtime.bigint() + BigInt(Math.floor(trustedForMs * 1e6)) };
}

function count(observations: DoorObservations, observer: BoundaryObserver, countRequest: CountRequest): void {
  for (const [outcome, times] of Object.entries(observations.outcomes)) {
    for (let time = 0; time < times; time++) observer.outcome(outcome as keyof typeof observations.outcomes);
  }
  if (observations.bytes.upstream > 0) observer.bytes("upstream", observations.bytes.upstream);
  if (observations.bytes.downstream > 0) observer.bytes("downstream", observations.bytes.downstream);
  for (const seconds of observations.addedLatencySeconds) observer.addedLatency(seconds);
  for (const [key, durations] of Object.entries(observations.requests)) {
    const [method = "GET", status = "0"] = key.split(" ");
    for (const seconds of durations) countRequest("/boundary/*", method, Number(status), seconds);
  }
}

/** Starts the thread and resolves once it listens; rejects if it cannot (the error's code says why: EADDRINUSE…). */
export async function startDoorThread(options: DoorThreadOptions): Promise<DoorThread> {
  const { resolveTarget, coherence, observer, countRequest, onRestart, ...settings } = options;
  const changes = new ChangeCount();
  await coherence.watch(BOUNDARY_LOOKUP_CHANNEL, () => changes.bump());
  const workerData: DoorThreadSettings = { ...settings, changes: changes.buffer };
  let stopping = false;
  const waiting = { reported: [] as Array<() => void>, drained: [] as Array<() => void>, closed: [] as Array<() => void> };
  let alive = false;
  /** Sends `message` and resolves at the thread's answer in `wakers`, or after `timeoutMs` (a thread that stopped answers nothing). */
  const ask = async (message: ToDoorThread, wakers: Array<() => void>, timeoutMs: number) => {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolveAnswer) => {
        wakers.push(resolveAnswer);
        current.worker.postMessage(message);
      }),
      new Promise<void>((resolveTimeout) => (timer = setTimeout(resolveTimeout, timeoutMs))),
    ]);
    clearTimeout(timer);
  };
  const wake = (wakers: Array<() => void>) => wakers.splice(0).forEach((wakeOne) => wakeOne());

  const spawn = (): Promise<{ worker: Worker; port: number }> =>
    new Promise((resolveStart, rejectStart) => {
      const worker = new Worker(WORKER_BOOTSTRAP, { eval: true, workerData });
      const send = (message: ToDoorThread) => worker.postMessage(message);
      let listening = false;
      worker.on("error", (error) => {
        if (!listening) rejectStart(error);
      });
      worker.on("exit", (code) => {
        alive = false;
        if (!listening || stopping) return;
        onRestart(`the credential boundary's thread stopped (exit code ${code}); starting it again`);
        setTimeout(() => {
          spawn().then(
            (next) => (current = next),
            (error: unknown) => onRestart(`the credential boundary's thread could not start again: ${error instanceof Error ? error.message : String(error)}`),
          );
        }, RESTART_DELAY_MS).unref();
      });
      worker.on("message", (message: FromDoorThread) => {
        switch (message.kind) {
          case "resolve": {
            const changesBefore = changes.current();
            const answer = (resolution: Resolution) => send({ kind: "resolved", resolution });
            resolveTarget(message.sessionId, message.placeholder).then(
              ({ upstreamBase, ...target }) =>
                answer({ id: message.id, target: { ...target, upstreamBase: upstreamBase.href }, keep: keepTerms(changesBefore, coherence) }),
              (error: unknown) => answer({ id: message.id, refusal: refusalOf(error) }),
            );
            return;
          }
          case "observed":
            count(message.observations, observer, countRequest);
            return;
          case "listening":
            listening = true;
            alive = true;
            resolveStart({ worker, port: message.port });
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

  let current = await spawn();
  return {
    port: current.port,
    alive: () => alive,
    collect: () => ask({ kind: "report" }, waiting.reported, COLLECT_TIMEOUT_MS),
    drained: () => {
      stopping = true;
      return new Promise((resolveDrained) => {
        waiting.drained.push(resolveDrained);
        current.worker.postMessage({ kind: "drain" } satisfies ToDoorThread);
      });
    },
    close: async () => {
      stopping = true;
      await ask({ kind: "close" }, waiting.closed, CLOSE_TIMEOUT_MS);
      await current.worker.terminate();
    },
  };
}
