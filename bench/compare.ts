// Measures a path to a stub upstream against the same stub called directly, in the same run: what
// the credential boundary (bench/boundary.ts) and the egress proxy (bench/egress.ts) add to a model
// call. The stub lives in this process (e2e/api/stub-upstream.ts, the one the tests use), so both
// sides share its cost and the load generator's, and the difference is the path under test.
//
//   non-streamed POST /v1/messages: one connection (latency of a lone runtime), then CONCURRENCY
//   connections, each in alternating direct / through rounds so drift favours neither;
//   streamed POST /v1/messages, back to back with no gap between events: time to the first byte,
//   like a runtime that streams one call after another;
//   streamed POST /v1/messages: events SPACING_MS apart; when each event arrives against when the
//   stub wrote it — a buffering hop holds events back — and the time to the first byte of a call
//   that comes after such a stream's idle gaps.
import { Agent, request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { performance } from "node:perf_hooks";
import { anthropicApi, type StubUpstream } from "../e2e/api/stub-upstream";
import { combineLoads, runLoad, type LoadRequest, type LoadResult } from "./load";

export const COMPARE_CONCURRENCY = 8;
export const STREAM_SPACING_MS = 50;
const STREAM_DELTAS = ["Hello", ",", " from", " the", " stub", "."];
const STREAM_SAMPLES = 10;
/** Back-to-back streamed calls per side, for the time to the first byte. */
const TTFB_SAMPLES = 200;
/** Streamed calls alternate in this many rounds per side. */
const ROUNDS = 2;
/**
 * Loads alternate in this many rounds per side. This machine's speed drifts by tens of percent
 * over a few seconds (the direct side's own p99 swings between 3 and 9 ms from one minute to the
 * next), so two long rounds let a slow spell land on one side and read as the path's cost; short
 * rounds give both sides the same spells.
 */
const LOAD_ROUNDS = 6;

export interface ComparisonSettings {
  /** The console's origin and an owner key, to set up the session. */
  origin: string;
  apiHeaders: Record<string, string>;
  /** Contained in the token, so the log scan would find it. */
  canary: string;
  warmupMs: number;
  /** Measured time per side and connection count, split over the rounds. */
  measureMs: number;
  cpuMeters: Record<string, () => number | null>;
  describeLoad(label: string, result: LoadResult): void;
}

/** The same measurement of the stub called directly and through the path under test. */
export interface Pair<T> {
  direct: T;
  through: T;
}

export interface StreamSummary {
  samples: number;
  /** Request sent → first body byte, p50 over the samples. */
  ttfbP50Ms: number;
  ttfbP99Ms: number;
  /** Median gap between consecutive events as they arrived. */
  gapP50Ms: number;
  /** How long after the stub wrote it each event arrived, over every event. */
  lagP50Ms: number;
  lagP95Ms: number;
  lagMaxMs: number;
  /** Events seen in total; each stream has a fixed count, so a shortfall means a broken stream. */
  events: number;
  expectedEvents: number;
  /** Streams whose body carried the canary (the token). */
  leaks: number;
}

export interface TtfbSummary {
  samples: number;
  p50Ms: number;
  p99Ms: number;
}

/** Where a call goes; `agent` makes the keep-alive pool for a run (https, through a proxy), plain http by default. */
export interface Route {
  origin: string;
  path: string;
  headers: Record<string, string>;
  agent?: (sockets: number) => Agent;
}

export const MESSAGE_BODY = JSON.stringify({ model: "claude-sonnet-4-6", max_tokens: 64, messages: [{ role: "user", content: "Say hello" }] });
const STREAM_BODY = JSON.stringify({ ...(JSON.parse(MESSAGE_BODY) as object), stream: true });
export const ANTHROPIC_HEADERS = { "anthropic-version": "2023-06-01", "content-type": "application/json" } as const;

function routeAgent(route: Route, sockets: number): Agent {
  return route.agent?.(sockets) ?? new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
}

function messageLoad(settings: ComparisonSettings, route: Route, concurrency: number, cpuMeters?: ComparisonSettings["cpuMeters"]): Promise<LoadResult> {
  const spec: LoadRequest = { method: "POST", path: route.path, headers: route.headers, body: MESSAGE_BODY };
  return runLoad({
    origin: route.origin,
    ...(route.agent ? { agent: route.agent } : {}),
    concurrency,
    warmupMs: settings.warmupMs / LOAD_ROUNDS,
    durationMs: settings.measureMs / LOAD_ROUNDS,
    maxRequests: 1_000_000,
    nextRequest: () => spec,
    ...(cpuMeters ? { cpuMeters } : {}),
  });
}

/** Direct and through in alternating rounds, each pooled over its rounds; the CPU meters read on the through side. */
export async function compareLoads(settings: ComparisonSettings, route: Pair<Route>, concurrency: number): Promise<Pair<LoadResult>> {
  const directRuns: LoadResult[] = [];
  const throughRuns: LoadResult[] = [];
  for (let round = 0; round < LOAD_ROUNDS; round++) {
    directRuns.push(await messageLoad(settings, route.direct, concurrency));
    throughRuns.push(await messageLoad(settings, route.through, concurrency, settings.cpuMeters));
  }
  return { direct: combineLoads(directRuns), through: combineLoads(throughRuns) };
}

interface StreamSample {
  ttfbMs: number;
  /** performance.now() at which each complete event had arrived. */
  arrivals: number[];
  leaked: boolean;
}

function streamOnce(route: Route, agent: Agent, canary: string): Promise<StreamSample> {
  return new Promise((resolveSample, reject) => {
    const target = new URL(route.origin);
    const started = performance.now();
    const outgoing = (target.protocol === "https:" ? httpsRequest : httpRequest)(
      {
        agent,
        host: target.hostname,
        port: target.port,
        method: "POST",
        path: route.path,
        headers: { ...route.headers, "content-type": "application/json", "content-length": Buffer.byteLength(STREAM_BODY) },
      },
      (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`streamed POST ${route.origin}${route.path} answered ${response.statusCode}`));
          response.resume();
          return;
        }
        let ttfbMs = Number.NaN;
        let text = "";
        const arrivals: number[] = [];
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          const now = performance.now();
          if (Number.isNaN(ttfbMs)) ttfbMs = now - started;
          const before = text.split("\n\n").length - 1;
          text += chunk;
          const after = text.split("\n\n").length - 1;
          for (let event = before; event < after; event++) arrivals.push(now);
        });
        response.on("end", () => resolveSample({ ttfbMs, arrivals, leaked: text.includes(canary) }));
        response.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(STREAM_BODY);
  });
}

/** One kept-alive connection per side for a run of streamed calls, closed afterwards. */
async function withStreamAgents<T>(route: Pair<Route>, work: (agents: Pair<Agent>) => Promise<T>): Promise<T> {
  const agents = { direct: routeAgent(route.direct, 1), through: routeAgent(route.through, 1) };
  try {
    return await work(agents);
  } finally {
    agents.direct.destroy();
    agents.through.destroy();
  }
}

export function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? Number.NaN;
}

function summarizeStreams(samples: Array<StreamSample & { sentAt: number[] }>, expectedEvents: number): StreamSummary {
  const gaps = samples.flatMap((sample) => sample.arrivals.slice(1).map((arrival, index) => arrival - (sample.arrivals[index] ?? arrival)));
  const lags = samples.flatMap((sample) => sample.arrivals.map((arrival, index) => arrival - (sample.sentAt[index] ?? Number.NaN)));
  return {
    samples: samples.length,
    ttfbP50Ms: percentile(
      samples.map((sample) => sample.ttfbMs),
      0.5,
    ),
    ttfbP99Ms: percentile(
      samples.map((sample) => sample.ttfbMs),
      0.99,
    ),
    gapP50Ms: percentile(gaps, 0.5),
    lagP50Ms: percentile(lags, 0.5),
    lagP95Ms: percentile(lags, 0.95),
    lagMaxMs: lags.length > 0 ? Math.max(...lags) : Number.NaN,
    events: samples.reduce((sum, sample) => sum + sample.arrivals.length, 0),
    expectedEvents: expectedEvents * samples.length,
    leaks: samples.filter((sample) => sample.leaked).length,
  };
}

/** Streamed calls back to back, direct and through in alternating rounds; every event sent at once. */
export async function compareTtfb(stub: StubUpstream, route: Pair<Route>, canary: string): Promise<Pair<TtfbSummary>> {
  stub.handle(anthropicApi({ spacingMs: 0, deltas: STREAM_DELTAS }));
  const ttfbs: Pair<number[]> = { direct: [], through: [] };
  await withStreamAgents(route, async (agents) => {
    for (let round = 0; round < ROUNDS; round++) {
      for (const side of ["direct", "through"] as const) {
        for (let index = 0; index < TTFB_SAMPLES / ROUNDS; index++) {
          const sample = await streamOnce(route[side], agents[side], canary);
          if (sample.leaked) throw new Error(`a streamed response (${side}) carried the token`);
          ttfbs[side].push(sample.ttfbMs);
        }
      }
    }
  });
  const summary = (values: number[]): TtfbSummary => ({
    samples: values.length,
    p50Ms: percentile(values, 0.5),
    p99Ms: percentile(values, 0.99),
  });
  return { direct: summary(ttfbs.direct), through: summary(ttfbs.through) };
}

/** Streams one at a time, direct and through taking turns; the stub reports when it wrote each event. */
export async function compareStreams(stub: StubUpstream, route: Pair<Route>, canary: string): Promise<Pair<StreamSummary>> {
  const sends: number[][] = [];
  stub.handle(anthropicApi({ spacingMs: STREAM_SPACING_MS, deltas: STREAM_DELTAS, onStreamSent: (sentAt) => sends.push(sentAt) }));
  const expectedEvents = STREAM_DELTAS.length + 5;
  const samples: Pair<Array<StreamSample & { sentAt: number[] }>> = { direct: [], through: [] };
  await withStreamAgents(route, async (agents) => {
    // One unmeasured stream each: the first streamed response through Next compiles its path.
    for (const side of ["direct", "through"] as const) await streamOnce(route[side], agents[side], canary);
    for (let index = 0; index < STREAM_SAMPLES * 2; index++) {
      const side = index % 2 === 0 ? "direct" : "through";
      sends.length = 0;
      const sample = await streamOnce(route[side], agents[side], canary);
      // The stub reports right after its last write, which is before the client can see the end.
      for (let waited = 0; sends.length === 0 && waited < 1_000; waited += 5) await new Promise((wake) => setTimeout(wake, 5));
      samples[side].push({ ...sample, sentAt: sends[0] ?? [] });
    }
  });
  return { direct: summarizeStreams(samples.direct, expectedEvents), through: summarizeStreams(samples.through, expectedEvents) };
}

/** Loads at one and COMPARE_CONCURRENCY connections, then the time to the first byte and the spaced streams. */
export async function compareAll(settings: ComparisonSettings, stub: StubUpstream, route: Pair<Route>, label: string): Promise<Comparison> {
  const sequential = await compareLoads(settings, route, 1);
  settings.describeLoad("direct, 1 connection", sequential.direct);
  settings.describeLoad(`${label}, 1 connection`, sequential.through);
  const concurrent = await compareLoads(settings, route, COMPARE_CONCURRENCY);
  settings.describeLoad(`direct, ${COMPARE_CONCURRENCY} connections`, concurrent.direct);
  settings.describeLoad(`${label}, ${COMPARE_CONCURRENCY} connections`, concurrent.through);
  const ttfb = await compareTtfb(stub, route, settings.canary);
  const stream = await compareStreams(stub, route, settings.canary);
  return { sequential, concurrent, ttfb, stream };
}

export interface Comparison {
  sequential: Pair<LoadResult>;
  concurrent: Pair<LoadResult>;
  ttfb: Pair<TtfbSummary>;
  stream: Pair<StreamSummary>;
  /** The concurrent load through a plain pass-through proxy in a process of its own, in the same run: the floor of any hop (bench/floor-proxy.ts). */
  floor?: Pair<LoadResult>;
}
