// The base-URL door on a thread of its own (started by lib/boundary/door-thread.ts): it forwards
// model calls, and asks the main thread, which owns the database, the master keys and every cache
// that a change must clear, what a request resolves to, unless a decision it kept for the same
// session and placeholder still holds (lib/boundary/kept-decisions.ts). Nothing else runs here, so
// the door pays neither the async hooks Next turns on for its own requests nor the collections of
// Next's heap.
import { createServer, type Server } from "node:http";
import { parentPort, workerData } from "node:worker_threads";
import { BOUNDARY_PREFIX, createBaseUrlBoundary, type ResolveTarget } from "@/lib/boundary/base-url-door";
import type { BoundaryTarget } from "@/lib/boundary/base-url-target";
import type { DoorObservations, DoorThreadSettings, FromDoorThread, Resolution, ToDoorThread } from "@/lib/boundary/door-thread-protocol";
import { sendErrorEnvelope } from "@/lib/boundary/error-envelope";
import { ChangeCount, KeptDecisions } from "@/lib/boundary/kept-decisions";
import type { BoundaryObserver } from "@/lib/boundary/observer";
import { ConsoleError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { log } from "@/lib/ops/logger";
import { createRequestLog } from "@/lib/ops/request-log";

/** How often the door's figures go to the main thread's metrics. */
const REPORT_EVERY_MS = 1000;
/** How long a close waits for the requests it cut to end, so that their lines and figures are reported. */
const CUT_LINES_WAIT_MS = 500;

if (!parentPort) throw new Error("lib/boundary/door-thread-worker.ts runs as a worker thread (lib/boundary/door-thread.ts)");
const toMain = parentPort;
const settings = workerData as DoorThreadSettings;
const send = (message: FromDoorThread) => toMain.postMessage(message);

const decisions = new KeptDecisions(new ChangeCount(settings.changes));
decisions.sweepPeriodically();
type Waiter = { sessionId: string; placeholder: string | null; resolve: (target: BoundaryTarget) => void; reject: (error: unknown) => void };
const waiting = new Map<number, Waiter>();
let nextId = 0;
const resolveTarget: ResolveTarget = (sessionId, placeholder, requestId) => {
  const kept = placeholder === null ? undefined : decisions.decision(sessionId, placeholder);
  if (kept) {
    observed.decisions.kept += 1;
    return Promise.resolve(kept);
  }
  observed.decisions.main += 1;
  return new Promise((resolve, reject) => {
    const id = nextId++;
    waiting.set(id, { sessionId, placeholder, resolve, reject });
    send({ kind: "resolve", id, sessionId, placeholder, requestId });
  });
};

function settle(resolution: Resolution): void {
  const waiter = waiting.get(resolution.id);
  if (!waiter) return;
  waiting.delete(resolution.id);
  if ("target" in resolution) {
    const target = { ...resolution.target, upstreamBase: new URL(resolution.target.upstreamBase) };
    if (resolution.keep && waiter.placeholder !== null) decisions.keep(waiter.sessionId, waiter.placeholder, target, resolution.keep);
    waiter.resolve(target);
  } else {
    const { type, message, status, details, retryAfterSeconds } = resolution.refusal;
    waiter.reject(new ConsoleError(type, message, { status, details, retryAfterSeconds }));
  }
}

function emptyObservations(): DoorObservations {
  return { outcomes: {}, bytes: { upstream: 0, downstream: 0 }, addedLatencySeconds: [], requests: [], decisions: { kept: 0, main: 0 } };
}
let observed = emptyObservations();
const observer: BoundaryObserver = {
  outcome: (outcome) => (observed.outcomes[outcome] = (observed.outcomes[outcome] ?? 0) + 1),
  bytes: (direction, count) => (observed.bytes[direction] += count),
  addedLatency: (seconds) => observed.addedLatencySeconds.push(seconds),
};
const report = () => {
  const { requests, outcomes, decisions: counted } = observed;
  const hasNews = requests.length > 0 || Object.keys(outcomes).length > 0 || counted.kept + counted.main > 0;
  if (!hasNews) return;
  send({ kind: "observed", observations: observed });
  observed = emptyObservations();
};
setInterval(report, REPORT_EVERY_MS).unref();

const requestLog = createRequestLog(new Set(), (route, method, status, seconds) => observed.requests.push({ route, method, status, seconds }));
const serveBoundary = createBaseUrlBoundary({ resolveTarget, privateEndpoints: new Set(settings.privateEndpoints), observer });

const server: Server = createServer((request, response) => {
  const requestId = newId("req");
  requestLog.observe(request, response, requestId);
  if (request.url?.startsWith(BOUNDARY_PREFIX)) {
    serveBoundary(request, response, requestId).catch(() => response.destroy());
    return;
  }
  const message = `This port serves the credential boundary alone: send model calls to ${BOUNDARY_PREFIX}<session>/… as ANTHROPIC_BASE_URL gives it`;
  sendErrorEnvelope(response, requestId, new ConsoleError("not_found_error", message));
});

toMain.on("message", (message: ToDoorThread) => {
  if (message.kind === "resolved") settle(message.resolution);
  else if (message.kind === "report") {
    report();
    send({ kind: "reported" });
  } else if (message.kind === "drain") {
    server.close();
    server.closeIdleConnections();
    void requestLog.drained().then(() => send({ kind: "drained" }));
  } else {
    // The cut requests' responses close (and write their log lines) only after their sockets have.
    server.closeAllConnections();
    let timer: NodeJS.Timeout | undefined;
    void Promise.race([requestLog.drained(), new Promise<void>((resolve) => (timer = setTimeout(resolve, CUT_LINES_WAIT_MS)))]).then(() => {
      clearTimeout(timer);
      report();
      log().flush(() => send({ kind: "closed" }));
    });
  }
});

server.once("error", (error: NodeJS.ErrnoException) => send({ kind: "listen_failed", code: error.code ?? "", message: error.message }));
server.listen(settings.port, settings.host, () => {
  const address = server.address();
  send({ kind: "listening", port: typeof address === "object" && address ? address.port : settings.port });
});
