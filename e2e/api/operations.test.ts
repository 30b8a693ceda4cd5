// Issue 14, operations: /healthz, /readyz, Prometheus /metrics behind CONSOLE_METRICS_TOKEN, one
// JSON log line per request, and a graceful SIGTERM, all through a real console process.
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { findFreePort } from "../../scripts/postgres";
import { ownPlacement, startOwnConsole, type OwnConsole } from "./own-console";
import {
  SECRET_MARKER,
  baseUrl,
  client,
  createApiKey,
  createLlmVaultOn,
  createSession,
  createSessionPrerequisites,
  fetchRuntime,
  guardResponses,
  raw,
  type SessionRuntime,
} from "./support";
import { STUB_MODEL, scriptedAnthropic, startStubUpstream, textReply, type StubUpstream } from "./stub-upstream";

guardResponses();

const METRICS_TOKEN = `metrics-${randomBytes(16).toString("hex")}`;
/** An id of any kind the console makes (lib/ids.ts): none may appear in a metric label. */
const ANY_ID = /\b(vlt|vcrd|sesn|agent|env|req|key|usr|run|sevt)_[A-Za-z0-9]{24}\b/;

interface LogLine {
  level: string;
  msg: string;
  request_id?: string;
  method?: string;
  route?: string;
  status?: number;
  duration_ms?: number;
  actor?: string | null;
  aborted?: boolean;
}

function logLines(own: OwnConsole): LogLine[] {
  return readFileSync(own.logPath, "utf8")
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as LogLine);
}

/**
 * A console with a database and an owner key of its own. On the suite's database its owner key would
 * be the suite's, whose per-minute count the other files' requests share, so a low rate limit would
 * refuse this file's own setup calls.
 */
async function startConsoleOfItsOwn(settings: Record<string, string>): Promise<{ own: OwnConsole; release(): Promise<void> }> {
  const { placement, ownerKey, release } = await ownPlacement();
  try {
    return { own: await startOwnConsole({ ...settings, CONSOLE_BOOTSTRAP_API_KEY: ownerKey }, placement), release };
  } catch (error) {
    await release();
    throw error;
  }
}

/** The owner key `own` bootstrapped with. */
function ownerKeyOf(own: OwnConsole): string {
  if (!own.ownerKey) throw new Error(`${own.url} was started without an owner key of its own`);
  return own.ownerKey;
}

/** A session on `own` whose LLM vault points at `stub`, and its boundary-mode runtime settings. */
async function sessionThroughBoundary(own: OwnConsole, stub: StubUpstream, label: string) {
  const ownerKey = ownerKeyOf(own);
  const anthropic = client({ baseURL: own.url, apiKey: ownerKey });
  const { vault, token } = await createLlmVaultOn(anthropic, label, stub.origin);
  const session = await createSession(anthropic, await createSessionPrerequisites(anthropic, label), { vault_ids: [vault.id] });
  const runtimeKey = await createApiKey("runtime", { baseURL: own.url, ownerKey, scope: { session_ids: [session.id] } });
  const runtime = await fetchRuntime(session.id, runtimeKey.key, own.url);
  return { ownerKey, token, runtime };
}

/** A streamed model call through the base-URL boundary, read to its end (or until it is cut). */
async function streamThroughBoundary(runtime: SessionRuntime): Promise<{ status: number; body: string; complete: boolean }> {
  const response = await fetch(`${runtime.env.ANTHROPIC_BASE_URL}/v1/messages`, {
    method: "POST",
    headers: { "x-api-key": runtime.env.ANTHROPIC_API_KEY ?? "", "anthropic-version": "2023-06-01", "content-type": "application/json" },
    body: JSON.stringify({ model: STUB_MODEL, max_tokens: 64, stream: true, messages: [{ role: "user", content: "count slowly" }] }),
  });
  let body = "";
  try {
    body = await response.text();
  } catch {
    return { status: response.status, body, complete: false };
  }
  return { status: response.status, body, complete: body.includes("message_stop") };
}

describe("health and readiness", () => {
  it("answers /healthz and /readyz without credentials, revealing nothing but the checks", async () => {
    const health = await raw("GET", "/healthz", { omitApiKey: true, omitBeta: true });
    expect(health.status).toBe(200);
    expect(health.json).toEqual({ status: "ok" });
    expect(health.headers.get("cache-control")).toBe("no-store");

    const ready = await raw("GET", "/readyz", { omitApiKey: true, omitBeta: true });
    expect(ready.status).toBe(200);
    expect(ready.json).toEqual({
      status: "ready",
      checks: { database: "ok", migrations: "ok", master_keys: "ok", ...(process.env.CONSOLE_TEST_EGRESS_URL ? { egress_ca: "ok" } : {}) },
    });

    const head = await fetch(`${baseUrl()}/healthz`, { method: "HEAD" });
    expect(head.status).toBe(200);
    const post = await raw("POST", "/readyz", { omitApiKey: true, omitBeta: true });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });

  it("serves no /metrics while CONSOLE_METRICS_TOKEN is unset", async () => {
    const metrics = await raw("GET", "/metrics", { omitApiKey: true, omitBeta: true });
    expect(metrics.status).toBe(404);
    expect(metrics.text).not.toContain("console_http_requests_total");
  });
});

describe("metrics, logs and shutdown on a console of its own", () => {
  let own: OwnConsole;
  let doorPort: number;
  let stub: StubUpstream;
  let releasePlacement: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    // Each streamed answer takes 12 × 150 ms ≈ 1.7 s: long enough to be in flight at SIGTERM.
    stub = await startStubUpstream(
      scriptedAnthropic(() =>
        textReply(
          Array.from({ length: 12 }, (_, index) => `part ${index} `),
          150,
        ),
      ),
    );
    // Its boundary has a port and thread of its own, so its figures, log lines and streams at
    // shutdown are the thread's (e2e/api/boundary-thread.test.ts); the next console's is on its own port.
    ({ own, release: releasePlacement } = await startConsoleOfItsOwn({
      CONSOLE_METRICS_TOKEN: METRICS_TOKEN,
      CONSOLE_LOG_LEVEL: "debug",
      CONSOLE_API_RATE_LIMIT_PER_MINUTE: "30",
      CONSOLE_SHUTDOWN_GRACE_SECONDS: "20",
      CONSOLE_BOUNDARY_PORT: String((doorPort = await findFreePort())),
    }));
  }, 180_000);

  afterAll(async () => {
    await Promise.all([own?.stop(), stub?.close()]);
    await releasePlacement?.();
  });

  it("asks for the metrics token and counts requests by route template, boundary outcomes and rate-limit refusals, no label naming an id", async () => {
    const { ownerKey, token, runtime } = await sessionThroughBoundary(own, stub, "metrics");
    expect(new URL(runtime.env.ANTHROPIC_BASE_URL).origin, "the boundary's own port").not.toBe(own.url);
    const streamed = await streamThroughBoundary(runtime);
    expect(streamed).toMatchObject({ status: 200, complete: true });
    // A refused placeholder is counted as unauthenticated.
    const refused = await fetch(`${runtime.env.ANTHROPIC_BASE_URL}/v1/messages`, { method: "POST", headers: { "x-api-key": "wrong" }, body: "{}" });
    expect(refused.status).toBe(401);
    // A key of its own, driven over CONSOLE_API_RATE_LIMIT_PER_MINUTE (30) until it is refused.
    const limited = await createApiKey("viewer", { baseURL: own.url, ownerKey });
    let statuses: number[] = [];
    for (let call = 0; call < 32 && !statuses.includes(429); call += 1) {
      statuses = [...statuses, (await raw("GET", "/v1/vaults?limit=1", { baseURL: own.url, headers: { "x-api-key": limited.key } })).status];
    }
    expect(statuses).toContain(429);

    const anonymous = await raw("GET", "/metrics", { baseURL: own.url, omitApiKey: true, omitBeta: true });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toContain("Bearer");
    const wrong = await raw("GET", "/metrics", { baseURL: own.url, omitApiKey: true, omitBeta: true, headers: { authorization: `Bearer ${METRICS_TOKEN}x` } });
    expect(wrong.status).toBe(401);
    const scraped = await raw("GET", "/metrics", { baseURL: own.url, omitApiKey: true, omitBeta: true, headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get("content-type")).toContain("text/plain");
    const text = scraped.text;
    expect(text).toMatch(/console_http_requests_total\{route="\/v1\/vaults",method="GET",status="200"\} \d+/);
    expect(text).toMatch(/console_http_requests_total\{route="\/v1\/vaults",method="GET",status="429"\} \d+/);
    expect(text).toMatch(/console_http_requests_total\{route="\/v1\/sessions\/:id\/runtime",method="POST",status="200"\} 1/);
    expect(text).toMatch(/console_http_request_duration_seconds_bucket\{le="[\d.]+",route="\/v1\/vaults",method="GET"\}/);
    expect(text).toMatch(/console_boundary_requests_total\{door="base_url",outcome="forwarded"\} 1/);
    expect(text).toMatch(/console_boundary_requests_total\{door="base_url",outcome="unauthenticated"\} 1/);
    expect(text).toMatch(/console_boundary_bytes_total\{door="base_url",direction="downstream"\} [1-9]\d*/);
    expect(text).toMatch(/console_boundary_added_latency_seconds_count\{door="base_url"\} 1/);
    expect(text).toMatch(/console_rate_limit_refusals_total\{scope="api_key"\} [1-9]/);
    expect(text).toMatch(/process_resident_memory_bytes \d+/);
    // PostgreSQL has a connection pool to watch; the embedded database is one connection in the process.
    if (process.env.CONSOLE_TEST_DATABASE_URL) expect(text).toMatch(/console_database_pool_connections\{state="total"\} [1-9]\d*/);
    else expect(text).not.toContain("console_database_pool_connections{");
    const labels = text.split("\n").filter((line) => !line.startsWith("#") && line.includes("{"));
    expect(labels.filter((line) => ANY_ID.test(line))).toEqual([]);
    expect(text.includes(token)).toBe(false);
    expect(text.includes(SECRET_MARKER)).toBe(false);
  });

  it("reports the boundary's thread among its readiness checks", async () => {
    const ready = await raw("GET", "/readyz", { baseURL: own.url, omitApiKey: true, omitBeta: true });
    expect(ready.status).toBe(200);
    expect((ready.json as { checks: Record<string, string> }).checks).toMatchObject({ database: "ok", boundary_thread: "ok" });
  });

  it("writes one JSON line per request with its request id, route template, status, duration and actor", async () => {
    const ownerKey = ownerKeyOf(own);
    const listed = await raw("GET", "/v1/vaults?limit=2", { baseURL: own.url, headers: { "x-api-key": ownerKey } });
    const missing = await raw("GET", "/v1/vaults/vlt_000000000000000000000000", { baseURL: own.url, headers: { "x-api-key": ownerKey } });
    const page = await fetch(`${own.url}/sign-in`);
    await page.text();
    const ready = await fetch(`${own.url}/readyz`);
    await ready.text();
    // A model call on the boundary's thread, refused for want of a placeholder: the thread writes its line.
    const boundary = await fetch(`http://127.0.0.1:${doorPort}/boundary/sesn_000000000000000000000000/v1/messages`, { method: "POST", body: "{}" });
    await boundary.text();
    const ids = [listed, missing, page, ready, boundary].map((response) => response.headers.get("request-id"));
    // Lines are written in batches, at least every 100 ms (lib/ops/logger.ts): wait for the five.
    let lines: LogLine[] = [];
    for (let waited = 0; waited < 5_000; waited += 50) {
      lines = logLines(own).filter((line) => line.msg === "request");
      if (ids.every((id) => lines.some((line) => line.request_id === id))) break;
      await sleep(50);
    }
    const lineFor = (requestId: string | null) => lines.find((line) => line.request_id === requestId);

    const listLine = lineFor(listed.headers.get("request-id"));
    expect(listLine).toMatchObject({ level: "info", method: "GET", route: "/v1/vaults", status: 200 });
    expect(listLine?.actor).toMatch(/^api_key:key_[A-Za-z0-9]{24}$/);
    expect(listLine?.duration_ms).toBeGreaterThan(0);
    expect(lineFor(missing.headers.get("request-id"))).toMatchObject({ route: "/v1/vaults/:id", status: 404 });
    // The envelope's request id is the log's.
    expect((missing.json as { request_id: string }).request_id).toBe(missing.headers.get("request-id"));
    expect(lineFor(page.headers.get("request-id"))).toMatchObject({ route: "/sign-in", status: 200, actor: null });
    expect(lineFor(ready.headers.get("request-id"))).toMatchObject({ route: "/readyz", status: 200 });
    expect(lineFor(boundary.headers.get("request-id"))).toMatchObject({ level: "info", method: "POST", route: "/boundary/*", status: 401, actor: null });
    expect(readFileSync(own.logPath, "utf8").includes(SECRET_MARKER)).toBe(false);
  });

  it("on SIGTERM lets a model stream in flight finish, refuses new connections, then closes the database and exits 0", async () => {
    const { runtime } = await sessionThroughBoundary(own, stub, "shutdown");
    const before = stub.requests.length;
    const inFlight = streamThroughBoundary(runtime);
    // The stream has started once the stub saw the request.
    for (let waited = 0; stub.requests.length === before && waited < 10_000; waited += 50) await sleep(50);
    own.process.child.kill("SIGTERM");
    await sleep(300);
    await expect(fetch(`${own.url}/healthz`)).rejects.toThrow();
    await expect(fetch(`http://127.0.0.1:${doorPort}/boundary/sesn_000000000000000000000000/v1/messages`), "the boundary's own port").rejects.toThrow();

    expect(await inFlight).toMatchObject({ status: 200, complete: true });
    expect(await own.process.exit).toBe(0);
    const messages = logLines(own).map((line) => line.msg);
    expect(messages).toContain("every request in flight finished");
    expect(messages).toContain("database closed; the console stopped");
  });
});

describe("a shutdown whose grace period runs out", () => {
  let own: OwnConsole;
  let stub: StubUpstream;
  let releasePlacement: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    // 30 × 200 ms: a 6 s stream against a 1 s grace period.
    stub = await startStubUpstream(
      scriptedAnthropic(() =>
        textReply(
          Array.from({ length: 30 }, (_, index) => `slow ${index} `),
          200,
        ),
      ),
    );
    ({ own, release: releasePlacement } = await startConsoleOfItsOwn({ CONSOLE_SHUTDOWN_GRACE_SECONDS: "1" }));
  }, 180_000);

  afterAll(async () => {
    await Promise.all([own?.stop(), stub?.close()]);
    await releasePlacement?.();
  });

  it("cuts what is still in flight after CONSOLE_SHUTDOWN_GRACE_SECONDS and still exits 0", async () => {
    const { runtime } = await sessionThroughBoundary(own, stub, "grace");
    const before = stub.requests.length;
    const inFlight = streamThroughBoundary(runtime);
    for (let waited = 0; stub.requests.length === before && waited < 10_000; waited += 50) await sleep(50);
    const signalledAt = performance.now();
    own.process.child.kill("SIGTERM");

    expect(await inFlight).toMatchObject({ complete: false });
    expect(await own.process.exit).toBe(0);
    // The grace period (1 s) plus closing, well before the stream's own end (6 s).
    expect(performance.now() - signalledAt).toBeLessThan(5_000);
    expect(logLines(own).map((line) => line.msg)).toContain("grace period over: cutting the requests still in flight");
  });
});
