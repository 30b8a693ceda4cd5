// The credential boundary on a port and thread of its own (CONSOLE_BOUNDARY_PORT,
// lib/boundary/door-thread.ts): runtimes are given that door in ANTHROPIC_BASE_URL, as
// CONSOLE_BOUNDARY_URL names it for a console behind an https proxy; the thread forwards, and the
// console's main thread decides. The thread reuses a decision for the calls after a runtime's
// first, so each case here first makes a call that succeeds and then shows that a change made
// through the API reaches the thread's very next request. On PostgreSQL the changes go through
// another console process (the suite's), whose commits this process must hear first.
import { randomBytes } from "node:crypto";
import type Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePort } from "../../scripts/postgres";
import { expectStartRefused, sharedDatabaseUrl, startOwnConsole, type OwnConsole } from "./own-console";
import { STUB_MODEL, anthropicApi, everythingReceived, startStubUpstream, type StubUpstream } from "./stub-upstream";
import {
  client,
  createApiKey,
  createLlmVaultOn,
  createSession,
  createSessionPrerequisites,
  expectApiError,
  fetchRuntime,
  guardResponses,
  llmCredentialAuth,
  runtimeSdk,
  secret,
  type SessionPrerequisites,
  type SessionRuntime,
} from "./support";

guardResponses();

const METRICS_TOKEN = `metrics-${randomBytes(16).toString("hex")}`;
const MESSAGE_PARAMS = { model: STUB_MODEL, max_tokens: 64, messages: [{ role: "user" as const, content: "Say hello" }] };

describe("the boundary on a port and thread of its own", () => {
  let own: OwnConsole;
  let stub: StubUpstream;
  let doorPort: number;
  /** The own console's API: its own owner key on a database of its own, the suite's on the shared one. */
  let api: Anthropic;
  /** Where changes are made: on PostgreSQL another process (the suite's console), on the embedded database the same one. */
  let changes: Anthropic;
  let prerequisites: SessionPrerequisites;

  beforeAll(async () => {
    stub = await startStubUpstream(anthropicApi());
    doorPort = await findFreePort();
    own = await startOwnConsole({
      CONSOLE_BOUNDARY_PORT: String(doorPort),
      CONSOLE_METRICS_TOKEN: METRICS_TOKEN,
      // As behind a proxy that terminates TLS: runtimes would keep that https origin, but the operator
      // named where they reach the door, here on loopback.
      CONSOLE_PUBLIC_URL: "https://console.example.test",
      CONSOLE_BOUNDARY_URL: `http://127.0.0.1:${doorPort}`,
    });
    api = client({ baseURL: own.url, apiKey: own.ownerKey ?? undefined });
    changes = sharedDatabaseUrl() ? client() : api;
    prerequisites = await createSessionPrerequisites(api, "boundary thread");
  }, 180_000);

  afterAll(async () => {
    await Promise.all([own?.stop(), stub?.close()]);
  });

  /** The thread's decisions so far, by where they came from (console_boundary_thread_decisions_total). */
  async function decisionsSoFar(): Promise<{ kept: number; main: number }> {
    const scraped = await fetch(`${own.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    const text = await scraped.text();
    const count = (source: string) => Number(text.match(new RegExp(`^console_boundary_thread_decisions_total\\{source="${source}"\\} (\\d+)$`, "m"))?.[1] ?? 0);
    return { kept: count("kept"), main: count("main") };
  }

  /** A session on the own console whose LLM vault points at the stub, and its runtime settings. */
  async function wire(
    label: string,
  ): Promise<{ vaultId: string; credentialId: string; token: string; sessionId: string; runtime: SessionRuntime; runtimeKey: string }> {
    const llm = await createLlmVaultOn(api, `boundary thread ${label}`, stub.origin);
    const session = await createSession(api, prerequisites, { vault_ids: [llm.vault.id] });
    const runtimeKey = await createApiKey("runtime", { baseURL: own.url, ownerKey: own.ownerKey ?? undefined, scope: { session_ids: [session.id] } });
    const runtime = await fetchRuntime(session.id, runtimeKey.key, own.url);
    return { vaultId: llm.vault.id, credentialId: llm.credentialId, token: llm.token, sessionId: session.id, runtime, runtimeKey: runtimeKey.key };
  }

  it("gives runtimes the door's URL (CONSOLE_BOUNDARY_URL), where the thread swaps the placeholder for the token; the console's own port serves the same placeholder", async () => {
    stub.clear();
    const wired = await wire("forward");
    expect(wired.runtime.env.ANTHROPIC_BASE_URL).toBe(`http://127.0.0.1:${doorPort}/boundary/${wired.sessionId}`);

    const sdk = runtimeSdk(wired.runtime);
    const message = await sdk.messages.create(MESSAGE_PARAMS);
    expect(message.content[0]).toMatchObject({ type: "text" });
    const streamed = await sdk.messages.stream(MESSAGE_PARAMS).finalMessage();
    expect(streamed.stop_reason).toBe("end_turn");
    const onConsolePort = runtimeSdk({ ...wired.runtime, env: { ...wired.runtime.env, ANTHROPIC_BASE_URL: `${own.url}/boundary/${wired.sessionId}` } });
    await onConsolePort.messages.create(MESSAGE_PARAMS);

    expect(stub.requests).toHaveLength(3);
    for (const request of stub.requests) {
      expect(request.headers["x-api-key"] === wired.token, "x-api-key is the real token").toBe(true);
      expect(request.headers.authorization === `Bearer ${wired.token}`, "Authorization is Bearer <real token>").toBe(true);
    }
    expect(everythingReceived(stub.requests).includes(wired.runtime.env.ANTHROPIC_API_KEY), "the placeholder reached the stub").toBe(false);
  });

  it("a rotated token is the one the thread's very next request carries, rotation after rotation", async () => {
    stub.clear();
    const wired = await wire("rotate");
    const sdk = runtimeSdk(wired.runtime);
    const before = await decisionsSoFar();
    await sdk.messages.create(MESSAGE_PARAMS);
    const tokens = [wired.token];
    for (let rotation = 1; rotation <= 5; rotation++) {
      const rotated = secret(`boundary-thread-rotated-${rotation}`);
      await changes.beta.vaults.credentials.update(wired.credentialId, { vault_id: wired.vaultId, auth: { type: "static_bearer", token: rotated } });
      tokens.push(rotated);
      await sdk.messages.create(MESSAGE_PARAMS);
      await sdk.messages.create(MESSAGE_PARAMS);
    }
    expect(stub.requests).toHaveLength(11);
    const carried = stub.requests.map((request) => tokens.indexOf(String(request.headers["x-api-key"])));
    expect(carried, "which rotation's token each request carried").toEqual([0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    // The thread decided the second call after each rotation itself: a kept decision was there to go stale.
    const after = await decisionsSoFar();
    expect({ kept: after.kept - before.kept, main: after.main - before.main }).toEqual({ kept: 5, main: 6 });
  });

  it("settings fetched again revoke the old placeholder at the next request; an archived credential stops it; a replacement serves it", async () => {
    stub.clear();
    const wired = await wire("revoke");
    const before = runtimeSdk(wired.runtime);
    await before.messages.create(MESSAGE_PARAMS);
    const refetched = await fetchRuntime(wired.sessionId, wired.runtimeKey, own.url);
    await expectApiError(before.messages.create(MESSAGE_PARAMS), 401, "authentication_error");
    const after = runtimeSdk(refetched);
    await after.messages.create(MESSAGE_PARAMS);

    await changes.beta.vaults.credentials.archive(wired.credentialId, { vault_id: wired.vaultId });
    await expectApiError(after.messages.create(MESSAGE_PARAMS), 409, "conflict_error", wired.vaultId);
    const replacement = secret("boundary-thread-replacement");
    await changes.beta.vaults.credentials.create(wired.vaultId, { auth: llmCredentialAuth(replacement) });
    await after.messages.create(MESSAGE_PARAMS);

    expect(stub.requests).toHaveLength(3);
    expect(stub.requests[2]?.headers["x-api-key"] === replacement, "the replacement token").toBe(true);
  });

  it("answers a wrong placeholder with 401 and any other path with 404, in the error envelope with a request id, calling no upstream", async () => {
    stub.clear();
    const wired = await wire("refusals");
    const wrong = await fetch(`${wired.runtime.env.ANTHROPIC_BASE_URL}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": `s0rt_${"x".repeat(43)}`, "content-type": "application/json" },
      body: JSON.stringify(MESSAGE_PARAMS),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("x-should-retry")).toBe("false");
    const wrongBody = (await wrong.json()) as { type: string; error: { type: string }; request_id: string };
    expect(wrongBody).toMatchObject({ type: "error", error: { type: "authentication_error" } });
    expect(wrongBody.request_id).toBe(wrong.headers.get("request-id"));

    const elsewhere = await fetch(`http://127.0.0.1:${doorPort}/v1/vaults`);
    expect(elsewhere.status).toBe(404);
    const elsewhereBody = (await elsewhere.json()) as { type: string; error: { type: string; message: string } };
    expect(elsewhereBody).toMatchObject({ type: "error", error: { type: "not_found_error" } });
    expect(elsewhereBody.error.message).toContain("/boundary/");
    expect(stub.requests).toEqual([]);
  });

  it("refuses to start on a port in use, naming CONSOLE_BOUNDARY_PORT", async () => {
    const output = await expectStartRefused({ CONSOLE_BOUNDARY_PORT: String(doorPort) });
    expect(output).toContain(`CONSOLE_BOUNDARY_PORT ${doorPort} is in use`);
  }, 120_000);
});
