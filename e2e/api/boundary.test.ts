// The credential boundary (SPEC §7): a runtime key fetches a ready session's runtime settings
// (`POST /v1/sessions/{id}/runtime`), and the official SDK, pointed at ANTHROPIC_BASE_URL with the
// placeholder as its key, calls the model through `/boundary/{session}/…`. A stub upstream on a
// loopback port plays the LLM vault's endpoint and records what it receives, so each test can show
// where the real token went (only to the stub, as x-api-key and Bearer) and where it did not (the
// SDK's side, any other host, a request with a wrong or stale placeholder).
import { randomBytes } from "node:crypto";
import http from "node:http";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { gzipSync } from "node:zlib";

import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  BETA_HEADER,
  DIAGNOSTIC_CODES,
  RESERVED,
  SECRET_MARKER,
  baseUrl,
  client,
  createApiKey,
  createLlmVaultOn,
  createSession,
  createVault,
  expectApiError,
  expectNoSecretFields,
  fetchRuntime,
  guardResponses,
  llmCredentialAuth,
  llmVaultMetadata,
  raw,
  recordingFetch,
  redact,
  runtimeSdk,
  secondBaseUrl,
  secret,
  takeServerErrors,
  setUpRuntimeEnvironment,
  type RawResponse,
  type WiredSession,
} from "./support";
import {
  STUB_MODEL,
  anthropicApi,
  anthropicError,
  anthropicMessage,
  anthropicStreamEvents,
  answerJson,
  closedPortOrigin,
  everythingReceived,
  startStubUpstream,
  type StubUpstream,
} from "./stub-upstream";

guardResponses();

const anthropic = client();

const MESSAGE_PARAMS = {
  model: STUB_MODEL,
  max_tokens: 64,
  messages: [{ role: "user" as const, content: "Say hello" }],
};

/** A query whose encoding a re-serialization would change. */
const ODD_QUERY = "limit=2&before_id=x%20y&flag&tag=a%2Bb";

let stub: StubUpstream;
// Every session of this file is made in this one environment, so one key serves them all.
const environment = setUpRuntimeEnvironment(anthropic, "boundary");
const { wire } = environment;

beforeAll(async () => {
  stub = await startStubUpstream();
});

afterAll(async () => {
  await stub?.close();
});

function boundaryPath(sessionId: string, rest = ""): string {
  return `/boundary/${sessionId}${rest}`;
}

/** A GET whose path goes out exactly as written (dot segments included), as a hand-made client could send it. */
function unresolvedGet(path: string, headers: Record<string, string>): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl());
  return new Promise((resolve, reject) => {
    const request = http.request({ host: hostname, port, path, headers, agent: false }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => {
        const answerHeaders = new Headers();
        for (const [name, value] of Object.entries(response.headers)) if (typeof value === "string") answerHeaders.set(name, value);
        resolve({ status: response.statusCode ?? 0, headers: answerHeaders, json: JSON.parse(text) as unknown, text });
      });
    });
    request.on("error", reject);
    request.end();
  });
}

/** A placeholder of the right shape that no session was ever given. */
function unknownPlaceholder(): string {
  return `s0rt_${randomBytes(32).toString("base64url")}`;
}

/** The stub saw the real token as both headers and never the placeholder. */
function expectTokenOnly(wired: WiredSession, requestCount: number): void {
  expect(stub.requests, "requests the stub received").toHaveLength(requestCount);
  for (const request of stub.requests) {
    expect(request.headers["x-api-key"] === wired.token, "x-api-key is the real token").toBe(true);
    expect(request.headers.authorization === `Bearer ${wired.token}`, "Authorization is Bearer <real token>").toBe(true);
  }
  expect(everythingReceived(stub.requests).includes(wired.runtime.env.ANTHROPIC_API_KEY), "the placeholder reached the stub").toBe(false);
}

/** A model call through the boundary with plain fetch: what a leak would look like is then left to the
 * test's own assertions, instead of failing it in guardResponses(). */
function postMessageUnrecorded(wired: WiredSession): Promise<Response> {
  return fetch(`${wired.runtime.env.ANTHROPIC_BASE_URL}/v1/messages`, {
    method: "POST",
    headers: { "x-api-key": wired.runtime.env.ANTHROPIC_API_KEY, "content-type": "application/json" },
    body: JSON.stringify(MESSAGE_PARAMS),
  });
}

function expectNoTokenIn(text: string, token: string, label: string): void {
  expect(text.includes(token), `${label} contains the token`).toBe(false);
  expect(text.includes(SECRET_MARKER), `${label} contains the secret marker`).toBe(false);
}

describe("runtime settings", () => {
  it("gives a runtime key the session's boundary URL and an opaque placeholder, nothing secret", async () => {
    stub.clear();
    const wired = await wire(stub.origin, "settings");
    const { runtime } = wired;
    expect(Object.keys(runtime).sort()).toEqual(["ca_bundle", "ca_certificate", "engine", "env", "mode", "session_id", "type"]);
    expect(runtime.mode).toBe("boundary");
    expect(runtime.ca_certificate).toBeNull();
    expect(runtime.ca_bundle).toBeNull();
    expect(runtime.type).toBe("session_runtime");
    expect(runtime.session_id).toBe(wired.session.id);
    expect(runtime.engine).toBe("claude");
    // One credential variable (Claude Code warns of a conflict when it finds two), and no calls around the boundary.
    expect(runtime.env).toEqual({
      ANTHROPIC_BASE_URL: runtime.env.ANTHROPIC_BASE_URL,
      ANTHROPIC_API_KEY: runtime.env.ANTHROPIC_API_KEY,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    });
    expect(runtime.env.ANTHROPIC_BASE_URL).toBe(`${baseUrl()}${boundaryPath(wired.session.id)}`);
    expect(runtime.env.ANTHROPIC_API_KEY).toMatch(/^s0rt_[A-Za-z0-9_-]{43}$/);
    expectNoSecretFields(runtime, "runtime settings");
    expectNoTokenIn(JSON.stringify(runtime), wired.token, "runtime settings");
    expect(stub.requests, "fetching settings calls no upstream").toEqual([]);
  });

  it("answers a session that is not ready with 409 and the failing diagnostics in error.details", async () => {
    const session = await createSession(anthropic, environment.prerequisites);
    let caught: unknown;
    await fetchRuntime(session.id, environment.runtimeKey.key).catch((error: unknown) => (caught = error));
    await expectApiError(Promise.reject(caught), 409, "conflict_error", "no_llm_vault");
    const error = caught as InstanceType<typeof Anthropic.APIError>;
    expect(error.errorCode).toBe("session_not_ready");
    const diagnostics = (error.details as { diagnostics?: Array<Record<string, unknown>> }).diagnostics;
    expect(Array.isArray(diagnostics), "error.details.diagnostics is a list").toBe(true);
    const codes = (diagnostics ?? []).map((check) => check.code);
    expect(codes).toContain("no_llm_vault");
    for (const check of diagnostics ?? []) {
      expect(DIAGNOSTIC_CODES).toContain(check.code);
      expect(check.ok, `${String(check.code)} is listed, so it fails`).toBe(false);
      expect(check.fix, `${String(check.code)} has a fix`).toEqual(expect.stringMatching(/\S/));
    }
  });

  it("lists no_active_credential for an LLM vault without its token", async () => {
    const vault = await createVault(anthropic, "boundary empty", llmVaultMetadata({ [`${RESERVED}llm_base_url`]: stub.origin }));
    const session = await createSession(anthropic, environment.prerequisites, { vault_ids: [vault.id] });
    const error = await fetchRuntime(session.id, environment.runtimeKey.key).then(
      () => expect.fail("runtime settings for a session whose vault has no credential"),
      (caught: unknown) => caught as InstanceType<typeof Anthropic.APIError>,
    );
    expect(error.status).toBe(409);
    const codes = ((error.details as { diagnostics?: Array<{ code: string }> }).diagnostics ?? []).map((check) => check.code);
    expect(codes).toContain("no_active_credential");
    expect(codes, "the vault is attached").not.toContain("no_llm_vault");
  });

  it("refuses an archived session (409) and an unknown one (403: the key's scope is checked before the session is looked up)", async () => {
    const session = await createSession(anthropic, environment.prerequisites);
    await anthropic.beta.sessions.archive(session.id);
    await expectApiError(fetchRuntime(session.id, environment.runtimeKey.key), 409, "conflict_error");
    await expectApiError(fetchRuntime("sesn_doesnotexist0000000000", environment.runtimeKey.key), 403, "permission_error", "is not one of them");
  });

  it("is for runtime keys only: owner, admin and viewer keys get 403", async () => {
    const session = await createSession(anthropic, environment.prerequisites);
    const [admin, viewer] = await Promise.all([createApiKey("admin"), createApiKey("viewer")]);
    for (const sdk of [anthropic, client({ apiKey: admin.key }), client({ apiKey: viewer.key })]) {
      await expectApiError(sdk.post(`/v1/sessions/${session.id}/runtime`, { headers: { "anthropic-beta": BETA_HEADER } }), 403, "permission_error");
    }
  });

  it("a runtime key reaches nothing else: vault, credential, session and key routes are 403", async () => {
    const vault = await createVault(anthropic, "boundary key scope", llmVaultMetadata({ [`${RESERVED}llm_base_url`]: stub.origin }));
    const runtimeKeySdk = client({ apiKey: environment.runtimeKey.key });
    const attempts: Array<[string, () => Promise<unknown>]> = [
      ["vaults.list", () => runtimeKeySdk.beta.vaults.list()],
      ["vaults.create", () => runtimeKeySdk.beta.vaults.create({ display_name: "runtime key vault" })],
      ["vaults.retrieve", () => runtimeKeySdk.beta.vaults.retrieve(vault.id)],
      ["vaults.update", () => runtimeKeySdk.beta.vaults.update(vault.id, { display_name: "renamed" })],
      ["vaults.archive", () => runtimeKeySdk.beta.vaults.archive(vault.id)],
      ["credentials.list", () => runtimeKeySdk.beta.vaults.credentials.list(vault.id)],
      ["credentials.create", () => runtimeKeySdk.beta.vaults.credentials.create(vault.id, { auth: llmCredentialAuth(secret("runtime-key-create")) })],
      ["sessions.list", () => runtimeKeySdk.beta.sessions.list()],
      ["api_keys.create", () => runtimeKeySdk.post("/v1/api_keys", { body: { name: "minted", role: "admin" }, headers: { "anthropic-beta": BETA_HEADER } })],
    ];
    for (const [label, attempt] of attempts) {
      const details = await expectApiError(attempt(), 403, "permission_error");
      expect(details.message, label).toMatch(/runtime/);
    }
    const retrieved = await anthropic.beta.vaults.retrieve(vault.id);
    expect(retrieved.archived_at, "the runtime key's archive did nothing").toBeNull();
  });

  it("a revoked runtime key gets 401", async () => {
    const session = await createSession(anthropic, environment.prerequisites);
    const key = await createApiKey("runtime", { scope: { session_ids: [session.id] } });
    const revoked = await raw("POST", `/v1/api_keys/${key.id}/revoke`);
    expect(revoked.status).toBe(200);
    await expectApiError(fetchRuntime(session.id, key.key), 401, "authentication_error");
  });
});

describe("forwarding through the official SDK", () => {
  it("swaps the placeholder for the real token, as x-api-key and Bearer, and returns the stub's answer", async () => {
    stub.clear();
    stub.handle(anthropicApi());
    const wired = await wire(stub.origin, "forward");
    const { data: message, response } = await runtimeSdk(wired.runtime).messages.create(MESSAGE_PARAMS).withResponse();
    expect(message).toEqual(anthropicMessage());
    expectTokenOnly(wired, 1);
    const [received] = stub.requests;
    expect(received?.method).toBe("POST");
    expect(received?.path).toBe("/v1/messages");
    expect(received?.query).toBe("");
    expect(JSON.parse(received?.body ?? "{}")).toEqual(MESSAGE_PARAMS);
    expect(received?.headers["anthropic-version"], "the SDK's anthropic-version passes").toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // The stub sends no request id, so the answer carries the console's, the one its log line has.
    expect(response.headers.get("request-id")).toMatch(/^req_[A-Za-z0-9]{24}$/);
    const headerText = [...response.headers.entries()].map(([name, value]) => `${name}: ${value}`).join("\n");
    expectNoTokenIn(headerText, wired.token, "the boundary's response headers");
    expectNoTokenIn(JSON.stringify(message), wired.token, "the boundary's response body");
  });

  it("takes the placeholder as Authorization: Bearer too (a harness that sets ANTHROPIC_AUTH_TOKEN)", async () => {
    stub.clear();
    stub.handle(anthropicApi());
    const wired = await wire(stub.origin, "bearer");
    expect(await runtimeSdk(wired.runtime, { bearer: true }).messages.create(MESSAGE_PARAMS)).toEqual(anthropicMessage());
    expectTokenOnly(wired, 1);
  });

  it("keeps the path and the query, under the base URL's own path", async () => {
    stub.clear();
    stub.handle(anthropicApi());
    const wired = await wire(`${stub.origin}/gateway/anthropic`, "prefix");
    await runtimeSdk(wired.runtime).messages.create(MESSAGE_PARAMS);
    await runtimeSdk(wired.runtime).models.list({ limit: 3, after_id: "claude-a" });
    const modelsCall = await raw("GET", boundaryPath(wired.session.id, `/v1/models/${encodeURIComponent("claude x/y")}?${ODD_QUERY}`), {
      omitApiKey: true,
      omitBeta: true,
      headers: { "x-api-key": wired.runtime.env.ANTHROPIC_API_KEY },
    });
    expect(modelsCall.status).toBe(404);
    expect(stub.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      "POST /gateway/anthropic/v1/messages",
      "GET /gateway/anthropic/v1/models",
      "GET /gateway/anthropic/v1/models/claude%20x%2Fy",
    ]);
    expect(stub.requests.map((request) => [...new URLSearchParams(request.query)])).toEqual([
      [],
      [
        ["limit", "3"],
        ["after_id", "claude-a"],
      ],
      [...new URLSearchParams(ODD_QUERY)],
    ]);
    expectTokenOnly(wired, 3);
  });

  // The boundary is served before Next, from the raw URL, so the query is not re-serialized.
  it("passes the query on byte for byte", async () => {
    stub.clear();
    stub.handle(anthropicApi());
    const wired = await wire(stub.origin, "raw-query");
    await raw("GET", boundaryPath(wired.session.id, `/v1/models?${ODD_QUERY}`), {
      omitApiKey: true,
      omitBeta: true,
      headers: { "x-api-key": wired.runtime.env.ANTHROPIC_API_KEY },
    });
    expect(stub.requests.map((request) => request.query)).toEqual([`?${ODD_QUERY}`]);
  });

  it("refuses a dot segment, so no path climbs out of the base URL's own path", async () => {
    stub.clear();
    stub.handle(anthropicApi());
    const wired = await wire(`${stub.origin}/gateway/anthropic`, "dot-segments");
    // Sent as written: fetch (and so the SDK) would resolve the dot segments before sending.
    for (const attempt of ["/v1/../../openai/v1/models", "/v1/%2e%2e/%2E%2E/openai/v1/models", "/./v1/models"]) {
      const response = await unresolvedGet(boundaryPath(wired.session.id, attempt), { "x-api-key": wired.runtime.env.ANTHROPIC_API_KEY });
      await expectApiError(response, 400, "invalid_request_error", ". or .. segment");
    }
    expect(stub.requests, "requests that reached the endpoint").toEqual([]);
  });

  it("streams server-sent events through as they are sent, not when the stream ends", async () => {
    const spacingMs = 150;
    const sends: number[][] = [];
    stub.clear();
    stub.handle(anthropicApi({ spacingMs, deltas: ["Hel", "lo", " from", " the", " stub"], onStreamSent: (sentAt) => sends.push(sentAt) }));
    const wired = await wire(stub.origin, "stream");
    const requested = performance.now();
    const stream = await runtimeSdk(wired.runtime).messages.create({ ...MESSAGE_PARAMS, stream: true });
    const arrivals: number[] = [];
    const types: string[] = [];
    for await (const event of stream) {
      arrivals.push(performance.now());
      types.push(event.type);
    }
    const expected = anthropicStreamEvents(["Hel", "lo", " from", " the", " stub"]);
    expect(types).toEqual(expected.map((event) => event.event));
    await expect.poll(() => sends.length).toBe(1);
    const sentAt = sends[0] ?? [];
    expect(sentAt).toHaveLength(expected.length);
    const lags = arrivals.map((arrival, index) => Math.round(arrival - (sentAt[index] ?? Number.NaN)));
    const stubSpread = (sentAt.at(-1) ?? 0) - (sentAt[0] ?? 0);
    const clientSpread = (arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0);
    const summary = `lags ${lags.join(", ")} ms; spread stub ${Math.round(stubSpread)} ms, client ${Math.round(clientSpread)} ms; first event ${Math.round((arrivals[0] ?? 0) - requested)} ms after the request`;
    // A buffered stream would hand every event over at the end: the first one ~1.4 s late. One late
    // event is tolerated: on a loaded machine any process can stall for a scheduling slice.
    const medianLag = [...lags].sort((a, b) => a - b)[Math.floor(lags.length / 2)] ?? Number.NaN;
    expect(lags[0], `the first event arrives as soon as it is sent (${summary})`).toBeLessThan(spacingMs);
    expect(medianLag, `events arrive soon after the stub sent them (${summary})`).toBeLessThan(spacingMs / 3);
    expect(clientSpread, `the first event arrives long before the last, spread like they were sent (${summary})`).toBeGreaterThan(stubSpread * 0.8);
    expectTokenOnly(wired, 1);
  });

  it("messages.stream() yields text as it comes and assembles the final message", async () => {
    const spacingMs = 150;
    stub.clear();
    stub.handle(anthropicApi({ spacingMs, deltas: ["Hello", " from", " the", " stub"] }));
    const wired = await wire(stub.origin, "stream-helper");
    const textArrivals: number[] = [];
    const stream = runtimeSdk(wired.runtime).messages.stream(MESSAGE_PARAMS);
    stream.on("text", () => textArrivals.push(performance.now()));
    const final = await stream.finalMessage();
    expect(final.content.map((block) => (block.type === "text" ? block.text : block.type))).toEqual(["Hello from the stub"]);
    expect(textArrivals).toHaveLength(4);
    const gaps = textArrivals.slice(1).map((arrival, index) => arrival - (textArrivals[index] ?? 0));
    expect(Math.min(...gaps), `text deltas arrive apart (gaps ${gaps.map(Math.round).join(", ")} ms)`).toBeGreaterThan(spacingMs / 2);
    expectTokenOnly(wired, 1);
  });

  it("stops the upstream stream when the runtime goes away", async () => {
    const sends: number[][] = [];
    stub.clear();
    stub.handle(
      anthropicApi({
        spacingMs: 200,
        deltas: Array.from({ length: 20 }, (_, index) => `part ${index} `),
        onStreamSent: (sentAt) => sends.push(sentAt),
      }),
    );
    const wired = await wire(stub.origin, "abort");
    const stream = await runtimeSdk(wired.runtime).messages.create({ ...MESSAGE_PARAMS, stream: true });
    for await (const event of stream) {
      if (event.type === "content_block_delta") break;
    }
    // 25 events 200 ms apart: a stub still sending after 2 s was never told the runtime left.
    await expect.poll(() => sends.length, { timeout: 2_000 }).toBe(1);
    expect(stub.requests[0]?.clientGone, "the stub saw its client go").toBe(true);
    expect(sends[0]?.length ?? 0, "events the stub got to send").toBeLessThan(10);
  });

  it("passes nothing but the allow-listed headers: no cookie, foreign key or forwarding header reaches the stub", async () => {
    stub.clear();
    stub.handle(anthropicApi());
    const wired = await wire(stub.origin, "headers");
    const foreign = {
      cookie: `next-auth.session-token=${secret("cookie")}`,
      "x-goog-api-key": secret("goog"),
      "proxy-authorization": `Basic ${secret("proxy")}`,
      "api-key": secret("azure"),
      "openai-api-key": secret("openai"),
      "x-amz-security-token": secret("amz"),
      "x-forwarded-for": "203.0.113.7",
      forwarded: "for=203.0.113.7",
      "x-real-ip": "203.0.113.7",
      origin: "https://evil.example",
      referer: "https://evil.example/page",
    };
    const passed = {
      "anthropic-version": "2023-06-01",
      "anthropic-beta": "prompt-caching-2024-07-31",
      "x-stainless-lang": "js",
      "idempotency-key": "stub-idem-1",
      "user-agent": "boundary-test/1",
    };
    const response = await raw("POST", boundaryPath(wired.session.id, "/v1/messages"), {
      omitApiKey: true,
      omitBeta: true,
      body: MESSAGE_PARAMS,
      // A foreign bearer too: the boundary's own Authorization must replace it, never sit beside it.
      headers: {
        ...foreign,
        ...passed,
        "x-api-key": wired.runtime.env.ANTHROPIC_API_KEY,
        authorization: `Bearer ${secret("foreign-bearer")}`,
      },
    });
    expect(response.status).toBe(200);
    expectTokenOnly(wired, 1);
    const received = stub.requests[0]?.headers ?? {};
    for (const name of Object.keys(foreign)) expect(received[name], `${name} reached the stub`).toBeUndefined();
    for (const [name, value] of Object.entries(passed)) expect(received[name], `${name} passes`).toBe(value);
    expect(received.host, "Host names the upstream, not the console").toBe(new URL(stub.origin).host);
    const text = everythingReceived(stub.requests).replaceAll(wired.token, "<token>");
    expect(redact(text).includes(SECRET_MARKER) ? redact(text) : "", "any secret but the token that reached the stub").toBe("");
  });

  it("keeps each session's token to its own requests when sessions call at once", async () => {
    stub.clear();
    stub.handle(anthropicApi());
    const sessions = await Promise.all(["parallel-a", "parallel-b", "parallel-c"].map((label) => wire(stub.origin, label)));
    await Promise.all(
      sessions.flatMap((wired, index) =>
        Array.from({ length: 4 }, () =>
          runtimeSdk(wired.runtime).messages.create({ ...MESSAGE_PARAMS, messages: [{ role: "user", content: `session ${index}` }] }),
        ),
      ),
    );
    expect(stub.requests).toHaveLength(12);
    for (const request of stub.requests) {
      const index = Number((JSON.parse(request.body) as { messages: Array<{ content: string }> }).messages[0]?.content.split(" ")[1]);
      const wired = sessions[index];
      expect(request.headers["x-api-key"] === wired?.token, `request of session ${index} carries its own token`).toBe(true);
    }
  });
});

describe("what the token never reaches", () => {
  let decoy: StubUpstream;

  beforeAll(async () => {
    decoy = await startStubUpstream();
  });

  afterAll(async () => {
    await decoy?.close();
  });

  it("no request path steers it to another host", async () => {
    stub.clear();
    stub.handle(anthropicApi());
    const wired = await wire(stub.origin, "steer");
    const decoyHost = new URL(decoy.origin).host;
    const attempts = [
      `/${encodeURIComponent(`//${decoyHost}/v1/messages`)}`,
      `/%2F%2F${decoyHost}%2Fv1%2Fmessages`,
      `/@${decoyHost}/v1/messages`,
      `/..%2F..%2F..%2F@${decoyHost}/v1/messages`,
      `/http:%2F%2F${decoyHost}/v1/messages`,
      `/%5C%5C${decoyHost}/v1/messages`,
    ];
    for (const attempt of attempts) {
      const response = await raw("POST", boundaryPath(wired.session.id, attempt), {
        omitApiKey: true,
        omitBeta: true,
        body: MESSAGE_PARAMS,
        headers: { "x-api-key": wired.runtime.env.ANTHROPIC_API_KEY },
      });
      expect(response.status, attempt).toBeLessThan(500);
    }
    expect(decoy.requests, "requests that reached the other host").toEqual([]);
    for (const request of stub.requests) expect(request.headers["x-api-key"] === wired.token).toBe(true);
  });

  it("an upstream redirect goes back to the runtime; the boundary does not follow it with the token", async () => {
    stub.clear();
    stub.handle((_request, response) => {
      response.writeHead(307, { location: `${decoy.origin}/v1/messages` });
      response.end();
    });
    const wired = await wire(stub.origin, "redirect");
    const response = await recordingFetch(`${baseUrl()}${boundaryPath(wired.session.id, "/v1/messages")}`, {
      method: "POST",
      headers: { "x-api-key": wired.runtime.env.ANTHROPIC_API_KEY, "content-type": "application/json" },
      body: JSON.stringify(MESSAGE_PARAMS),
      redirect: "manual",
    });
    await response.text();
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe(`${decoy.origin}/v1/messages`);
    expect(stub.requests).toHaveLength(1);
    expect(decoy.requests, "the boundary followed the redirect").toEqual([]);
  });

  it("a wrong, malformed or missing placeholder, or a console API key, gets 401 and calls no upstream", async () => {
    stub.clear();
    stub.handle(anthropicApi());
    const wired = await wire(stub.origin, "wrong");
    const path = boundaryPath(wired.session.id, "/v1/messages");
    const attempts: Array<[string, Record<string, string>]> = [
      ["unknown placeholder", { "x-api-key": unknownPlaceholder() }],
      ["unknown placeholder as Bearer", { authorization: `Bearer ${unknownPlaceholder()}` }],
      ["malformed placeholder", { "x-api-key": `${wired.runtime.env.ANTHROPIC_API_KEY}x` }],
      ["no placeholder", {}],
      ["the owner API key", { "x-api-key": process.env.CONSOLE_TEST_API_KEY ?? "" }],
      ["the runtime API key", { "x-api-key": environment.runtimeKey.key }],
    ];
    for (const [label, headers] of attempts) {
      const details = await expectApiError(
        await raw("POST", path, { omitApiKey: true, omitBeta: true, body: MESSAGE_PARAMS, headers }),
        401,
        "authentication_error",
      );
      expect(details.message, label).not.toContain(wired.runtime.env.ANTHROPIC_API_KEY);
    }
    await expectApiError(
      new Anthropic({
        baseURL: wired.runtime.env.ANTHROPIC_BASE_URL,
        apiKey: unknownPlaceholder(),
        maxRetries: 0,
        fetch: recordingFetch,
      }).messages.create(MESSAGE_PARAMS),
      401,
      "authentication_error",
    );
    expect(stub.requests, "requests that reached the stub").toEqual([]);
  });

  it("a placeholder is revoked when the runtime settings are fetched again", async () => {
    stub.clear();
    stub.handle(anthropicApi());
    const wired = await wire(stub.origin, "refetch");
    await runtimeSdk(wired.runtime).messages.create(MESSAGE_PARAMS);
    stub.clear();
    const fresh = await fetchRuntime(wired.session.id, environment.runtimeKey.key);
    expect(fresh.env.ANTHROPIC_API_KEY).not.toBe(wired.runtime.env.ANTHROPIC_API_KEY);
    await expectApiError(runtimeSdk(wired.runtime).messages.create(MESSAGE_PARAMS), 401, "authentication_error", "fetch the runtime settings again");
    expect(stub.requests).toEqual([]);
    await runtimeSdk(fresh).messages.create(MESSAGE_PARAMS);
    expectTokenOnly({ ...wired, runtime: fresh }, 1);
    expect(everythingReceived(stub.requests).includes(wired.runtime.env.ANTHROPIC_API_KEY)).toBe(false);
  });

  // Fetches serialize on the session row (issueRuntimeSettings), so exactly one placeholder stays
  // live even when they race across processes on PostgreSQL.
  it("of runtime settings fetched at once, only one placeholder stays live", async () => {
    stub.clear();
    stub.handle(anthropicApi());
    const wired = await wire(stub.origin, "refetch-race");
    // Across both processes when there are two (PostgreSQL), as runtimes behind a load balancer would.
    const origins = [baseUrl(), secondBaseUrl() ?? baseUrl()];
    const fetched = await Promise.all(Array.from({ length: 12 }, (_, index) => fetchRuntime(wired.session.id, environment.runtimeKey.key, origins[index % 2])));
    const statuses: number[] = [];
    for (const runtime of [wired.runtime, ...fetched]) {
      const response = await raw("POST", boundaryPath(wired.session.id, "/v1/messages"), {
        omitApiKey: true,
        omitBeta: true,
        body: MESSAGE_PARAMS,
        headers: { "x-api-key": runtime.env.ANTHROPIC_API_KEY },
      });
      statuses.push(response.status);
    }
    expect(
      statuses.filter((status) => status === 200),
      `placeholders that still work (statuses ${statuses.join(", ")})`,
    ).toHaveLength(1);
    expect(stub.requests).toHaveLength(1);
  });

  it("another session's placeholder gets 401, even one whose own session is live", async () => {
    stub.clear();
    stub.handle(anthropicApi());
    const [first, second] = await Promise.all([wire(stub.origin, "mine"), wire(stub.origin, "theirs")]);
    if (!first || !second) throw new Error("wire() returned nothing");
    const crossed = new Anthropic({
      baseURL: first.runtime.env.ANTHROPIC_BASE_URL,
      apiKey: second.runtime.env.ANTHROPIC_API_KEY,
      maxRetries: 0,
      fetch: recordingFetch,
    });
    await expectApiError(crossed.messages.create(MESSAGE_PARAMS), 401, "authentication_error");
    expect(stub.requests).toEqual([]);
  });
});

describe("an upstream that quotes the key", () => {
  // Some gateways quote the key they were sent (a 401 message, a debug header); the boundary masks
  // it. Plain fetch here, so a leak would be seen by this test's own assertions.
  it("does not hand the echoed token to the runtime", async () => {
    stub.clear();
    stub.handle((request, response) =>
      answerJson(response, 401, anthropicError("authentication_error", `invalid x-api-key: ${String(request.headers["x-api-key"])}`), {
        "x-debug-received-key": String(request.headers["x-api-key"]),
      }),
    );
    const wired = await wire(stub.origin, "echo");
    const response = await postMessageUnrecorded(wired);
    const body = await response.text();
    expect(response.status).toBe(401);
    const headerText = [...response.headers.entries()].map(([name, value]) => `${name}: ${value}`).join("\n");
    expect(headerText.includes(wired.token), "a response header carries the token").toBe(false);
    expect(body.includes(wired.token), "the body carries the token").toBe(false);
    // The mask is as long as the token, so the body keeps the upstream's content-length and stays valid JSON.
    expect(response.headers.get("content-length")).toBe(String(Buffer.byteLength(body)));
    const error = (JSON.parse(body) as { error: { message: string } }).error;
    expect(error.message).toBe(`invalid x-api-key: ${"*".repeat(wired.token.length)}`);
    expect(response.headers.get("x-debug-received-key")).toBe("*".repeat(wired.token.length));
  });
  it("masks it in a body the upstream compressed although asked not to", async () => {
    stub.clear();
    stub.handle((request, response) => {
      const body = gzipSync(JSON.stringify(anthropicError("authentication_error", `invalid x-api-key: ${String(request.headers["x-api-key"])}`)));
      response.writeHead(401, { "content-type": "application/json", "content-encoding": "gzip", "content-length": body.length });
      response.end(body);
    });
    const wired = await wire(stub.origin, "echo-gzip");
    const response = await postMessageUnrecorded(wired);
    expect(stub.requests[0]?.headers["accept-encoding"], "what the boundary asked the upstream for").toBe("identity");
    // Decoded to be masked, so sent plain: no content-encoding, and chunked instead of the compressed length.
    expect(response.headers.get("content-encoding")).toBeNull();
    expect(response.headers.get("content-length")).toBeNull();
    const error = (JSON.parse(await response.text()) as { error: { message: string } }).error;
    expect(error.message).toBe(`invalid x-api-key: ${"*".repeat(wired.token.length)}`);
  });

  it("answers 502 instead of passing on a body in an encoding it cannot check", async () => {
    stub.clear();
    stub.handle((request, response) => {
      const body = Buffer.from(`opaque bytes quoting ${String(request.headers["x-api-key"])}`);
      response.writeHead(200, { "content-type": "application/json", "content-encoding": "zstd", "content-length": body.length });
      response.end(body);
    });
    const wired = await wire(stub.origin, "echo-zstd");
    const response = await postMessageUnrecorded(wired);
    const body = await response.text();
    expect(response.status).toBe(502);
    expect((JSON.parse(body) as { error: { type: string; message: string } }).error).toMatchObject({
      type: "api_error",
      message: expect.stringContaining('"zstd"'),
    });
    expect(body.includes(wired.token), "the body carries the token").toBe(false);
  });
});

// Each case first makes a call that succeeds, so the embedded console has remembered the lookup
// (lib/boundary/lookup.ts) and the change must reach the very next request regardless.
describe("changes take effect on the next request", () => {
  it("a rotated token is the one the very next request carries", async () => {
    stub.clear();
    stub.handle(anthropicApi());
    const wired = await wire(stub.origin, "rotate");
    const sdk = runtimeSdk(wired.runtime);
    await sdk.messages.create(MESSAGE_PARAMS);
    const rotatedToken = secret("boundary-rotated");
    await anthropic.beta.vaults.credentials.update(wired.credentialId, {
      vault_id: wired.vault.id,
      auth: { type: "static_bearer", token: rotatedToken },
    });
    await sdk.messages.create(MESSAGE_PARAMS);
    expect(stub.requests).toHaveLength(2);
    expect(stub.requests[0]?.headers["x-api-key"] === wired.token, "before: the old token").toBe(true);
    expect(stub.requests[1]?.headers["x-api-key"] === rotatedToken, "after: the new token").toBe(true);
    expect(stub.requests[1]?.headers.authorization === `Bearer ${rotatedToken}`, "after: Bearer the new token").toBe(true);
    expect(everythingReceived(stub.requests.slice(1)).includes(wired.token), "the old token after the rotation").toBe(false);
  });

  it("an archived credential stops it with 409; a replacement credential serves the same placeholder", async () => {
    stub.clear();
    stub.handle(anthropicApi());
    const wired = await wire(stub.origin, "archive-credential");
    const sdk = runtimeSdk(wired.runtime);
    await sdk.messages.create(MESSAGE_PARAMS);
    stub.clear();
    await anthropic.beta.vaults.credentials.archive(wired.credentialId, { vault_id: wired.vault.id });
    await expectApiError(sdk.messages.create(MESSAGE_PARAMS), 409, "conflict_error");
    expect(stub.requests).toEqual([]);
    const replacementToken = secret("boundary-replacement");
    await anthropic.beta.vaults.credentials.create(wired.vault.id, { auth: llmCredentialAuth(replacementToken) });
    await sdk.messages.create(MESSAGE_PARAMS);
    expect(stub.requests).toHaveLength(1);
    expect(stub.requests[0]?.headers["x-api-key"] === replacementToken, "the replacement token").toBe(true);
  });

  // Each stop names what stopped the session: the vault, or the session itself.
  it.each<{ what: string; stop: (wired: WiredSession) => Promise<unknown>; named: (wired: WiredSession) => string }>([
    { what: "an archived vault", stop: (wired) => anthropic.beta.vaults.archive(wired.vault.id), named: (wired) => wired.vault.id },
    { what: "an archived session", stop: (wired) => anthropic.beta.sessions.archive(wired.session.id), named: (wired) => wired.session.id },
    {
      what: "a deleted credential",
      stop: (wired) => anthropic.beta.vaults.credentials.delete(wired.credentialId, { vault_id: wired.vault.id }),
      named: (wired) => wired.vault.id,
    },
  ])("$what stops it with 409", async ({ what, stop, named }) => {
    stub.clear();
    stub.handle(anthropicApi());
    const wired = await wire(stub.origin, what.replaceAll(" ", "-"));
    const sdk = runtimeSdk(wired.runtime);
    await sdk.messages.create(MESSAGE_PARAMS);
    stub.clear();
    await stop(wired);
    await expectApiError(sdk.messages.create(MESSAGE_PARAMS), 409, "conflict_error", named(wired));
    expect(stub.requests).toEqual([]);
  });

  it("detaching the LLM vault stops it with 409; attaching another vault sends that vault's token to its own upstream", async () => {
    stub.clear();
    stub.handle(anthropicApi());
    const other = await startStubUpstream();
    try {
      const wired = await wire(stub.origin, "detach");
      const sdk = runtimeSdk(wired.runtime);
      await sdk.messages.create(MESSAGE_PARAMS);
      stub.clear();
      await anthropic.beta.sessions.update(wired.session.id, { vault_ids: [] } as Parameters<typeof anthropic.beta.sessions.update>[1]);
      await expectApiError(sdk.messages.create(MESSAGE_PARAMS), 409, "conflict_error");
      const { vault: otherVault, token: otherToken } = await createLlmVaultOn(anthropic, "boundary-other", other.origin);
      await anthropic.beta.sessions.update(wired.session.id, { vault_ids: [otherVault.id] } as Parameters<typeof anthropic.beta.sessions.update>[1]);
      await sdk.messages.create(MESSAGE_PARAMS);
      expect(stub.requests, "the first upstream after the detach").toEqual([]);
      expect(other.requests).toHaveLength(1);
      expect(other.requests[0]?.headers["x-api-key"] === otherToken, "the attached vault's token").toBe(true);
    } finally {
      await other.close();
    }
  });

  it("a vault's token stays bound to its endpoint: a new llm_base_url takes archive, change, then a new token", async () => {
    stub.clear();
    stub.handle(anthropicApi());
    const moved = await startStubUpstream();
    try {
      const wired = await wire(stub.origin, "move");
      const sdk = runtimeSdk(wired.runtime);
      await sdk.messages.create(MESSAGE_PARAMS);
      await expectApiError(
        anthropic.beta.vaults.update(wired.vault.id, { metadata: { [`${RESERVED}llm_base_url`]: moved.origin } }),
        409,
        "conflict_error",
        /archive the credential, change the endpoint, then add the token for the new endpoint/i,
      );
      await sdk.messages.create(MESSAGE_PARAMS);
      expect(moved.requests, "the refused endpoint").toEqual([]);

      await anthropic.beta.vaults.credentials.archive(wired.credentialId, { vault_id: wired.vault.id });
      await anthropic.beta.vaults.update(wired.vault.id, { metadata: { [`${RESERVED}llm_base_url`]: moved.origin } });
      const newToken = secret("boundary-moved");
      await anthropic.beta.vaults.credentials.create(wired.vault.id, { auth: llmCredentialAuth(newToken) });
      await sdk.messages.create(MESSAGE_PARAMS);
      expect(stub.requests, "the old upstream: the calls before the move").toHaveLength(2);
      expect(moved.requests).toHaveLength(1);
      expect(moved.requests[0]?.headers["x-api-key"] === newToken, "the token added for the new endpoint").toBe(true);
      expect(everythingReceived(moved.requests).includes(wired.token), "the old token at the new endpoint").toBe(false);
    } finally {
      await moved.close();
    }
  });
});

// On PostgreSQL every console process remembers the placeholders it served (lib/change-barrier.ts):
// a change answered by one process must stop the very next model call the other one serves.
const second = secondBaseUrl();
describe.skipIf(!second)("a change made through one console process applies to the other's next request (PostgreSQL)", () => {
  /** The same runtime settings, pointed at the second process's boundary. */
  const viaSecond = (wired: WiredSession): WiredSession["runtime"] => ({
    ...wired.runtime,
    env: { ...wired.runtime.env, ANTHROPIC_BASE_URL: wired.runtime.env.ANTHROPIC_BASE_URL.replace(baseUrl(), second ?? "") },
  });

  it("rotation, credential archive, vault archive and a settings refetch, each followed at once by a call on the other", async () => {
    stub.clear();
    stub.handle(anthropicApi());
    for (let round = 0; round < 4; round++) {
      const wired = await wire(stub.origin, `second-process-${round}`);
      const elsewhere = viaSecond(wired);
      expect(elsewhere.env.ANTHROPIC_BASE_URL.startsWith(`${second}/boundary/`), "served by the second process").toBe(true);
      const sdk = runtimeSdk(elsewhere);
      // Twice: the second call is answered from what that process remembers.
      await sdk.messages.create(MESSAGE_PARAMS);
      await sdk.messages.create(MESSAGE_PARAMS);

      const rotatedToken = secret(`second-process-rotated-${round}`);
      await anthropic.beta.vaults.credentials.update(wired.credentialId, { vault_id: wired.vault.id, auth: { type: "static_bearer", token: rotatedToken } });
      stub.clear();
      await sdk.messages.create(MESSAGE_PARAMS);
      expect(stub.requests[0]?.headers["x-api-key"] === rotatedToken, `round ${round}: the rotated token at once`).toBe(true);

      stub.clear();
      if (round % 3 === 0) {
        await anthropic.beta.vaults.credentials.archive(wired.credentialId, { vault_id: wired.vault.id });
        await expectApiError(sdk.messages.create(MESSAGE_PARAMS), 409, "conflict_error");
      } else if (round % 3 === 1) {
        await anthropic.beta.vaults.archive(wired.vault.id);
        await expectApiError(sdk.messages.create(MESSAGE_PARAMS), 409, "conflict_error", wired.vault.id);
      } else {
        await fetchRuntime(wired.session.id, environment.runtimeKey.key);
        await expectApiError(sdk.messages.create(MESSAGE_PARAMS), 401, "authentication_error");
      }
      expect(stub.requests, `round ${round}: nothing reached the upstream after the change`).toEqual([]);
    }
  });
});

describe("upstream answers and failures", () => {
  it("passes an upstream 429 and 500 through with their status, headers and body", async () => {
    const rateLimited = anthropicError("rate_limit_error", "stub: slow down");
    const failed = anthropicError("api_error", "stub: internal failure");
    stub.clear();
    stub.handle((request, response) => {
      const model = (JSON.parse(request.body) as { model?: string }).model;
      if (model === "status-429") return answerJson(response, 429, rateLimited, { "retry-after": "7", "request-id": "req_stub429" });
      if (model === "status-500") return answerJson(response, 500, failed, { "request-id": "req_stub500" });
      return answerJson(response, 200, anthropicMessage());
    });
    const wired = await wire(stub.origin, "errors");
    const sdk = runtimeSdk(wired.runtime);
    const limited = await sdk.messages.create({ ...MESSAGE_PARAMS, model: "status-429" }).then(
      () => expect.fail("a 429 from the stub"),
      (error: unknown) => error as InstanceType<typeof Anthropic.APIError>,
    );
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    expect(limited.status).toBe(429);
    expect(limited.error).toEqual(rateLimited);
    expect(limited.headers?.get("retry-after")).toBe("7");
    expect(limited.requestID).toBe("req_stub429");
    const internal = await sdk.messages.create({ ...MESSAGE_PARAMS, model: "status-500" }).then(
      () => expect.fail("a 500 from the stub"),
      (error: unknown) => error as InstanceType<typeof Anthropic.APIError>,
    );
    expect(internal).toBeInstanceOf(Anthropic.InternalServerError);
    expect(internal.status).toBe(500);
    expect(internal.error).toEqual(failed);
    expect(takeServerErrors(boundaryPath(wired.session.id))).toEqual([500]);
    expectTokenOnly(wired, 2);
  });

  it("an unreachable upstream is a 502 in the error envelope", async () => {
    const wired = await wire(await closedPortOrigin(), "unreachable");
    const details = await expectApiError(runtimeSdk(wired.runtime).messages.create(MESSAGE_PARAMS), 502, "api_error", "unreachable");
    expect(details.message).not.toContain(wired.token);
    expect(takeServerErrors(boundaryPath(wired.session.id))).toEqual([502]);
  });

  it("a stream the upstream cuts off ends the runtime's stream instead of hanging it", async () => {
    stub.clear();
    stub.handle(async (_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      const [first] = anthropicStreamEvents(["never finished"]);
      response.write(`event: ${first?.event}\ndata: ${JSON.stringify(first?.data)}\n\n`);
      await sleep(100);
      response.destroy();
    });
    const wired = await wire(stub.origin, "cut");
    const started = performance.now();
    const outcome = await (async () => {
      const stream = await runtimeSdk(wired.runtime).messages.create({ ...MESSAGE_PARAMS, stream: true });
      let events = 0;
      for await (const _event of stream) events += 1;
      return `ended after ${events} events`;
    })().catch((error: unknown) => `failed: ${error instanceof Error ? error.name : String(error)}`);
    expect(performance.now() - started, `the runtime's stream ${outcome}`).toBeLessThan(5_000);
  });
});
