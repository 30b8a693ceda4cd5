// A small closed-loop load generator: N workers, each sending its next request as soon as the
// previous one has answered, over one keep-alive agent. Closed loop means the numbers describe the
// server at a fixed concurrency (what 32 SDK clients would see), not an arrival rate it may not keep.
import { Agent, request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { isLoopbackHost } from "./loopback";
import { performance } from "node:perf_hooks";

export interface LoadRequest {
  method: "GET" | "POST";
  /** Path and query, e.g. `/v1/vaults?limit=20`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  /** `http(s)://127.x.x.x:<port>`; only loopback targets are accepted. */
  origin: string;
  concurrency: number;
  /** The keep-alive agent for the run (https, through a proxy), given its socket count; a plain
   * http agent by default. Destroyed when the run ends. */
  agent?: (sockets: number) => Agent;
  /** Requests sent during the warm-up are not measured (JIT, connection set-up, caches). */
  warmupMs: number;
  durationMs: number;
  /** Hard cap on requests sent, warm-up included; the run ends early when it is reached. */
  maxRequests: number;
  /** A request that takes longer counts as an error and its socket is dropped. */
  requestTimeoutMs?: number;
  /** Builds request number `index` (0-based, warm-up included). */
  nextRequest(index: number): LoadRequest;
  /** CPU meters by name (the server, its database), each returning CPU ms so far or null when
   * unknown; read at the start and the end of the measured window. */
  cpuMeters?: Record<string, () => number | null>;
}

export interface LoadResult {
  /** Measured requests (after the warm-up), successful or not. */
  requests: number;
  /** Measured requests that answered 2xx. */
  succeeded: number;
  errors: number;
  /** Error count by HTTP status, or by `socket`/`timeout`. */
  errorsByKind: Record<string, number>;
  /** The first error's status and message, for the report; never a request body. */
  firstError: string | null;
  seconds: number;
  /** 2xx answers per second of the measured window. */
  requestsPerSecond: number;
  /** Latencies of successful measured requests, in milliseconds. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Per meter of `cpuMeters`: CPU ms per measured request; NaN when it could not be read. */
  cpuMsPerRequest: Record<string, number>;
  stoppedByCount: boolean;
  /** The raw material, so that runs can be combined: sorted latencies of the 2xx answers, and CPU
   * ms per meter over the window (NaN when unknown). */
  latenciesMs: Float64Array;
  cpuMs: Record<string, number>;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const ERROR_BODY_SAMPLE_CHARS = 300;

interface Outcome {
  status: number | "socket" | "timeout";
  latencyMs: number;
  errorBody: string;
}

/** The error envelope's type and message when there is one, so a report shows why, not just 4xx. */
function describeErrorBody(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { type?: string; message?: string } };
    if (parsed.error?.type) return `${parsed.error.type}: ${parsed.error.message ?? ""}`.slice(0, ERROR_BODY_SAMPLE_CHARS);
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return body.slice(0, ERROR_BODY_SAMPLE_CHARS);
}

function send(agent: Agent, target: URL, spec: LoadRequest, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolveOutcome) => {
    const started = performance.now();
    let settled = false;
    const settle = (status: Outcome["status"], errorBody = "") => {
      if (settled) return;
      settled = true;
      resolveOutcome({ status, latencyMs: performance.now() - started, errorBody });
    };
    const headers: Record<string, string | number> = { ...spec.headers };
    if (spec.body !== undefined) {
      headers["content-type"] ??= "application/json";
      headers["content-length"] = Buffer.byteLength(spec.body);
    }
    const outgoing = (target.protocol === "https:" ? httpsRequest : httpRequest)(
      { agent, host: target.hostname.replace(/^\[|\]$/g, ""), port: target.port, method: spec.method, path: spec.path, headers },
      (response) => {
        const status = response.statusCode ?? 0;
        const ok = status >= 200 && status < 300;
        let errorBody = "";
        // The body is read to the end either way: a keep-alive socket is reusable only after that.
        response.on("data", (chunk: Buffer) => {
          if (!ok && errorBody.length < ERROR_BODY_SAMPLE_CHARS * 4) errorBody += chunk.toString("utf8");
        });
        response.on("end", () => settle(status, ok ? "" : describeErrorBody(errorBody)));
        response.on("error", () => settle("socket"));
      },
    );
    outgoing.setTimeout(timeoutMs, () => {
      settle("timeout");
      outgoing.destroy();
    });
    outgoing.on("error", (error) => settle("socket", error.message));
    outgoing.end(spec.body);
  });
}

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const target = new URL(options.origin);
  if (!["http:", "https:"].includes(target.protocol) || !isLoopbackHost(target.hostname)) {
    throw new Error(`load: refusing ${options.origin}; the benchmark only targets a loopback server`);
  }
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const agent = options.agent?.(options.concurrency) ?? new Agent({ keepAlive: true, maxSockets: options.concurrency, maxFreeSockets: options.concurrency });

  const latencies: number[] = [];
  const errorsByKind: Record<string, number> = {};
  let firstError: string | null = null;
  let errors = 0;
  let measured = 0;
  let sent = 0;
  let stoppedByCount = false;

  const begun = performance.now();
  const measureFrom = begun + options.warmupMs;
  const measureUntil = measureFrom + options.durationMs;
  const meters = Object.entries(options.cpuMeters ?? {});
  let cpuAtStart: (number | null)[] = meters.map(() => null);
  const cpuTimer = setTimeout(() => (cpuAtStart = meters.map(([, read]) => read())), options.warmupMs);

  const worker = async () => {
    for (;;) {
      const now = performance.now();
      if (now >= measureUntil) return;
      if (sent >= options.maxRequests) {
        stoppedByCount = true;
        return;
      }
      const index = sent++;
      const inWindow = now >= measureFrom;
      const outcome = await send(agent, target, options.nextRequest(index), timeoutMs);
      if (!inWindow) continue;
      measured++;
      const ok = typeof outcome.status === "number" && outcome.status >= 200 && outcome.status < 300;
      if (ok) {
        latencies.push(outcome.latencyMs);
      } else {
        errors++;
        const kind = String(outcome.status);
        errorsByKind[kind] = (errorsByKind[kind] ?? 0) + 1;
        firstError ??= `${kind} ${outcome.errorBody}`.trim();
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    clearTimeout(cpuTimer);
    agent.destroy();
  }
  const cpuMs: Record<string, number> = {};
  meters.forEach(([name, read], index) => {
    const start = cpuAtStart[index];
    const end = read();
    cpuMs[name] = start != null && end !== null ? end - start : Number.NaN;
  });
  // Every measured request was sent at or after measureFrom and has completed by now, so this is
  // the exact span they occupied, also when the count cap ended the run early.
  const seconds = Math.max(0, (performance.now() - measureFrom) / 1000);
  return summarize({
    requests: measured,
    errors,
    errorsByKind,
    firstError,
    seconds,
    latenciesMs: Float64Array.from(latencies).sort(),
    cpuMs,
    stoppedByCount,
  });
}

type LoadSample = Pick<LoadResult, "requests" | "errors" | "errorsByKind" | "firstError" | "seconds" | "latenciesMs" | "cpuMs" | "stoppedByCount">;

function summarize(sample: LoadSample): LoadResult {
  const sorted = sample.latenciesMs;
  const succeeded = sample.requests - sample.errors;
  const cpuMsPerRequest: Record<string, number> = {};
  for (const [meter, ms] of Object.entries(sample.cpuMs)) cpuMsPerRequest[meter] = sample.requests > 0 ? ms / sample.requests : Number.NaN;
  return {
    ...sample,
    succeeded,
    // Only 2xx answers count: a server that answers 401 quickly must not look fast.
    requestsPerSecond: sample.seconds > 0 ? succeeded / sample.seconds : 0,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.length > 0 ? (sorted[sorted.length - 1] ?? Number.NaN) : Number.NaN,
    cpuMsPerRequest,
  };
}

/** Several measured runs of the same request as one: their windows added up, latencies pooled. */
export function combineLoads(runs: LoadResult[]): LoadResult {
  const errorsByKind: Record<string, number> = {};
  const cpuMs: Record<string, number> = {};
  for (const run of runs) {
    for (const [kind, count] of Object.entries(run.errorsByKind)) errorsByKind[kind] = (errorsByKind[kind] ?? 0) + count;
    for (const [meter, ms] of Object.entries(run.cpuMs)) cpuMs[meter] = (cpuMs[meter] ?? 0) + ms;
  }
  const latencies = new Float64Array(runs.reduce((sum, run) => sum + run.latenciesMs.length, 0));
  let offset = 0;
  for (const run of runs) {
    latencies.set(run.latenciesMs, offset);
    offset += run.latenciesMs.length;
  }
  return summarize({
    requests: runs.reduce((sum, run) => sum + run.requests, 0),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    errorsByKind,
    firstError: runs.find((run) => run.firstError !== null)?.firstError ?? null,
    seconds: runs.reduce((sum, run) => sum + run.seconds, 0),
    latenciesMs: latencies.sort(),
    cpuMs,
    stoppedByCount: runs.some((run) => run.stoppedByCount),
  });
}
