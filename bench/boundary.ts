// What the credential boundary (SPEC §7) adds to a model call, measured against the same stub
// upstream called directly, in the same run: bench/orchestrate.ts calls measureBoundary() while the
// real server runs. The stub lives in this process (e2e/api/stub-upstream.ts, the one the tests use),
// so the direct and the boundary numbers share its cost and the load generator's, and the difference
// is the boundary: one more loopback hop, the placeholder lookup, the decryption, the Next route.
//
//   non-streamed POST /v1/messages: one connection (latency of a lone runtime), then CONCURRENCY
//   connections, each in alternating direct / boundary rounds so drift favours neither;
//   streamed POST /v1/messages, back to back with no gap between events: time to the first byte,
//   like a runtime that streams one call after another;
//   streamed POST /v1/messages: events SPACING_MS apart; when each event arrives against when the
//   stub wrote it — a buffering boundary holds events back — and the time to the first byte of a
//   call that comes after such a stream's idle gaps.
import { randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { performance } from "node:perf_hooks";
import { anthropicApi, startStubUpstream, type StubUpstream } from "../e2e/api/stub-upstream";
import { combineLoads, runLoad, type LoadRequest, type LoadResult } from "./load";

export const BOUNDARY_CONCURRENCY = 8;
export const STREAM_SPACING_MS = 50;
const STREAM_DELTAS = ["Hello", ",", " from", " the", " stub", "."];
const STREAM_SAMPLES = 10;
/** Back-to-back streamed calls per mode, for the time to the first byte. */
const TTFB_SAMPLES = 200;
const ROUNDS = 2;

export interface BoundarySettings {
  /** The console's origin and an owner key, to set up the session. */
  origin: string;
  apiHeaders: Record<string, string>;
  /** Contained in the token, so the log scan would find it. */
  canary: string;
  warmupMs: number;
  /** Measured time per mode and connection count, split over the rounds. */
  measureMs: number;
  cpuMeters: Record<string, () => number | null>;
  describeLoad(label: string, result: LoadResult): void;
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

export interface BoundaryResult {
  sequential: { direct: LoadResult; boundary: LoadResult };
  concurrent: { direct: LoadResult; boundary: LoadResult };
  ttfb: { direct: TtfbSummary; boundary: TtfbSummary };
  stream: { direct: StreamSummary; boundary: StreamSummary };
}

const MESSAGE_BODY = JSON.stringify({ model: "claude-sonnet-4-6", max_tokens: 64, messages: [{ role: "user", content: "Say hello" }] });
const STREAM_BODY = JSON.stringify({ ...(JSON.parse(MESSAGE_BODY) as object), stream: true });

async function postJson(settings: BoundarySettings, path: string, body: unknown, headers = settings.apiHeaders): Promise<Record<string, unknown>> {
  const response = await fetch(`${settings.origin}${path}`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${text.replaceAll(settings.canary, "<canary>").slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** A ready session on an LLM vault that names the stub, and its runtime settings, all through the API. */
async function setUpSession(settings: BoundarySettings, stub: StubUpstream): Promise<{ vaultId: string; boundaryPath: string; placeholder: string }> {
  const suffix = randomBytes(4).toString("hex");
  const vault = await postJson(settings, "/v1/vaults", {
    display_name: `Bench LLM vault ${suffix}`,
    metadata: {
      "sandbox0.managed_agents.role": "llm",
      "sandbox0.managed_agents.engine": "claude",
      "sandbox0.managed_agents.llm_base_url": stub.origin,
    },
  });
  await postJson(settings, `/v1/vaults/${String(vault.id)}/credentials`, {
    auth: { type: "static_bearer", token: `sk-ant-${settings.canary}-bench-${randomBytes(16).toString("hex")}` },
  });
  const agent = await postJson(settings, "/v1/agents", { name: `Bench agent ${suffix}`, model: "claude-sonnet-4-6" });
  const environment = await postJson(settings, "/v1/environments", {
    name: `bench-env-${suffix}`,
    config: { type: "cloud", networking: { type: "unrestricted" } },
  });
  const session = await postJson(settings, "/v1/sessions", { agent: agent.id, environment_id: environment.id, vault_ids: [vault.id] });
  const runtimeKey = await postJson(settings, "/v1/api_keys", {
    name: `Bench runtime ${suffix}`,
    role: "runtime",
    session_ids: [session.id],
  });
  const runtime = await postJson(settings, `/v1/sessions/${String(session.id)}/runtime`, {}, { ...settings.apiHeaders, "x-api-key": String(runtimeKey.key) });
  const env = runtime.env as { ANTHROPIC_BASE_URL: string; ANTHROPIC_API_KEY: string };
  return { vaultId: String(vault.id), boundaryPath: new URL(env.ANTHROPIC_BASE_URL).pathname, placeholder: env.ANTHROPIC_API_KEY };
}

interface Route {
  origin: string;
  path: string;
  headers: Record<string, string>;
}

function messageLoad(settings: BoundarySettings, route: Route, concurrency: number, cpuMeters?: BoundarySettings["cpuMeters"]): Promise<LoadResult> {
  const spec: LoadRequest = { method: "POST", path: route.path, headers: route.headers, body: MESSAGE_BODY };
  return runLoad({
    origin: route.origin,
    concurrency,
    warmupMs: settings.warmupMs / ROUNDS,
    durationMs: settings.measureMs / ROUNDS,
    maxRequests: 1_000_000,
    nextRequest: () => spec,
    ...(cpuMeters ? { cpuMeters } : {}),
  });
}

/** Direct and boundary in alternating rounds, each pooled over its rounds. */
async function compareLoads(
  settings: BoundarySettings,
  direct: Route,
  boundary: Route,
  concurrency: number,
): Promise<{ direct: LoadResult; boundary: LoadResult }> {
  const directRuns: LoadResult[] = [];
  const boundaryRuns: LoadResult[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    directRuns.push(await messageLoad(settings, direct, concurrency));
    boundaryRuns.push(await messageLoad(settings, boundary, concurrency, settings.cpuMeters));
  }
  return { direct: combineLoads(directRuns), boundary: combineLoads(boundaryRuns) };
}

interface StreamSample {
  ttfbMs: number;
  /** performance.now() at which each complete event had arrived. */
  arrivals: number[];
  leaked: boolean;
}

function streamOnce(route: Route, canary: string): Promise<StreamSample> {
  return new Promise((resolveSample, reject) => {
    const target = new URL(route.origin);
    const started = performance.now();
    const outgoing = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: "POST",
        path: route.path,
        headers: { ...route.headers, "content-type": "application/json", "content-length": Buffer.byteLength(STREAM_BODY) },
      },
      (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`streamed POST ${route.path} answered ${response.statusCode}`));
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

function percentile(values: number[], fraction: number): number {
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

/** Streamed calls back to back, direct and boundary in alternating rounds; every event sent at once. */
async function compareTtfb(stub: StubUpstream, direct: Route, boundary: Route, canary: string): Promise<BoundaryResult["ttfb"]> {
  stub.handle(anthropicApi({ spacingMs: 0, deltas: STREAM_DELTAS }));
  const ttfbs = { direct: [] as number[], boundary: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of ["direct", "boundary"] as const) {
      for (let index = 0; index < TTFB_SAMPLES / ROUNDS; index++) {
        const sample = await streamOnce(mode === "direct" ? direct : boundary, canary);
        if (sample.leaked) throw new Error("a streamed boundary response carried the token");
        ttfbs[mode].push(sample.ttfbMs);
      }
    }
  }
  const summary = (values: number[]): TtfbSummary => ({
    samples: values.length,
    p50Ms: percentile(values, 0.5),
    p99Ms: percentile(values, 0.99),
  });
  return { direct: summary(ttfbs.direct), boundary: summary(ttfbs.boundary) };
}

/** Streams one at a time, direct and boundary taking turns; the stub reports when it wrote each event. */
async function compareStreams(stub: StubUpstream, direct: Route, boundary: Route, canary: string): Promise<BoundaryResult["stream"]> {
  const sends: number[][] = [];
  stub.handle(anthropicApi({ spacingMs: STREAM_SPACING_MS, deltas: STREAM_DELTAS, onStreamSent: (sentAt) => sends.push(sentAt) }));
  const expectedEvents = STREAM_DELTAS.length + 5;
  const samples = { direct: [] as Array<StreamSample & { sentAt: number[] }>, boundary: [] as Array<StreamSample & { sentAt: number[] }> };
  // One unmeasured stream each: the first streamed response through Next compiles its path.
  for (const route of [direct, boundary]) await streamOnce(route, canary);
  for (let index = 0; index < STREAM_SAMPLES * 2; index++) {
    const mode = index % 2 === 0 ? "direct" : "boundary";
    sends.length = 0;
    const sample = await streamOnce(mode === "direct" ? direct : boundary, canary);
    // The stub reports right after its last write, which is before the client can see the end.
    for (let waited = 0; sends.length === 0 && waited < 1_000; waited += 5) await new Promise((wake) => setTimeout(wake, 5));
    samples[mode].push({ ...sample, sentAt: sends[0] ?? [] });
  }
  return { direct: summarizeStreams(samples.direct, expectedEvents), boundary: summarizeStreams(samples.boundary, expectedEvents) };
}

export async function measureBoundary(settings: BoundarySettings): Promise<BoundaryResult> {
  const stub = await startStubUpstream(anthropicApi());
  let vaultId: string | null = null;
  try {
    const session = await setUpSession(settings, stub);
    const { boundaryPath, placeholder } = session;
    vaultId = session.vaultId;
    const headers = { "anthropic-version": "2023-06-01", "content-type": "application/json" };
    // The direct call carries a key of its own: the stub answers any, and no token is needed to compare.
    const direct: Route = { origin: stub.origin, path: "/v1/messages", headers: { ...headers, "x-api-key": "direct-call" } };
    const boundary: Route = {
      origin: settings.origin,
      path: `${boundaryPath}/v1/messages`,
      headers: { ...headers, "x-api-key": placeholder },
    };
    const sequential = await compareLoads(settings, direct, boundary, 1);
    settings.describeLoad("direct, 1 connection", sequential.direct);
    settings.describeLoad("boundary, 1 connection", sequential.boundary);
    const concurrent = await compareLoads(settings, direct, boundary, BOUNDARY_CONCURRENCY);
    settings.describeLoad(`direct, ${BOUNDARY_CONCURRENCY} connections`, concurrent.direct);
    settings.describeLoad(`boundary, ${BOUNDARY_CONCURRENCY} connections`, concurrent.boundary);
    const ttfb = await compareTtfb(stub, direct, boundary, settings.canary);
    const stream = await compareStreams(stub, direct, boundary, settings.canary);
    return { sequential, concurrent, ttfb, stream };
  } finally {
    // Archived, the vault leaves the default list: the bare handler's pages must match Next's from before.
    if (vaultId) await postJson(settings, `/v1/vaults/${vaultId}/archive`, {});
    await stub.close();
  }
}
