// Runtime keys are scoped (SPEC §7, issue 9 item 8): a runtime key is made for given sessions or for
// one environment, fetches runtime settings for those sessions only, and revoking it revokes the
// placeholders it obtained. Before, any runtime key fetched any session's settings — which revokes
// the placeholder that session's runtime holds — and a revoked key's placeholders kept working.
// A stub upstream on a loopback port plays the model endpoint, so each test can show whether a
// placeholder still reaches it.
import { setTimeout as sleep } from "node:timers/promises";

import type Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  BETA_HEADER,
  client,
  createApiKey,
  createEnvironment,
  createLlmVaultOn,
  createSession,
  createSessionPrerequisites,
  expectApiError,
  fetchRuntime,
  guardResponses,
  raw,
  runtimeSdk,
  type CreatedApiKey,
  type Session,
  type SessionPrerequisites,
  type SessionRuntime,
} from "./support";
import { STUB_MODEL, anthropicApi, anthropicMessage, startStubUpstream, type StubUpstream } from "./stub-upstream";

guardResponses();

const anthropic = client();

interface ApiKeyObject {
  type: "api_key";
  id: string;
  role: string;
  session_ids: string[] | null;
  environment_id: string | null;
  revoked_at: string | null;
  key?: string;
}

const MESSAGE_PARAMS = { model: STUB_MODEL, max_tokens: 16, messages: [{ role: "user" as const, content: "Hi" }] };

let stub: StubUpstream;
let prerequisites: SessionPrerequisites;
let llmVaultId: string;

beforeAll(async () => {
  stub = await startStubUpstream(anthropicApi());
  prerequisites = await createSessionPrerequisites(anthropic, "runtime keys");
  llmVaultId = (await createLlmVaultOn(anthropic, "runtime-keys", stub.origin)).vault.id;
});

afterAll(async () => {
  await stub?.close();
});

/** A ready session on the stub's LLM vault, in `environment` (this file's own by default). */
async function readySession(environment = prerequisites.environment): Promise<Session> {
  return createSession(anthropic, { ...prerequisites, environment }, { vault_ids: [llmVaultId] });
}

/** A ready session and a runtime key scoped to it alone. */
async function readySessionWithKey(): Promise<{ session: Session; key: CreatedApiKey }> {
  const session = await readySession();
  return { session, key: await createApiKey("runtime", { scope: { session_ids: [session.id] } }) };
}

/** `POST /v1/api_keys` through the official SDK (a console extension it has no method for). */
function createKeyWithSdk(body: Record<string, unknown>): Promise<ApiKeyObject> {
  return anthropic.post<ApiKeyObject>("/v1/api_keys", {
    body: { name: "runtime keys test", ...body },
    headers: { "anthropic-beta": BETA_HEADER },
  });
}

/** One model call through the boundary with the placeholder, as the runtime's SDK makes it. */
async function callModel(runtime: SessionRuntime): Promise<Anthropic.Message> {
  return runtimeSdk(runtime).messages.create(MESSAGE_PARAMS);
}

describe("creating a runtime key", () => {
  it("refuses an unscoped runtime key, naming the field (SDK and raw HTTP)", async () => {
    await expectApiError(createKeyWithSdk({ role: "runtime" }), 400, "invalid_request_error", ["session_ids:", "environment_id"]);
    const response = await raw("POST", "/v1/api_keys", {
      body: { name: "unscoped", role: "runtime", session_ids: null, environment_id: null },
    });
    await expectApiError(response, 400, "invalid_request_error", "session_ids:");
  });

  it("takes exactly one scope, and only for runtime keys", async () => {
    const session = await readySession();
    const environmentId = prerequisites.environment.id;
    await expectApiError(
      createKeyWithSdk({ role: "runtime", session_ids: [session.id], environment_id: environmentId }),
      400,
      "invalid_request_error",
      "environment_id:",
    );
    await expectApiError(createKeyWithSdk({ role: "admin", session_ids: [session.id] }), 400, "invalid_request_error", "session_ids: is only for runtime keys");
    await expectApiError(
      createKeyWithSdk({ role: "viewer", environment_id: environmentId }),
      400,
      "invalid_request_error",
      "environment_id: is only for runtime keys",
    );
  });

  it("answers bad session_ids and environment_id with 400/404 naming the field", async () => {
    const session = await readySession();
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ session_ids: [] }, 400, "session_ids:"],
      [{ session_ids: "not-a-list" }, 400, "session_ids:"],
      [{ session_ids: [session.id, 7] }, 400, "session_ids[1]:"],
      [{ session_ids: [session.id, ""] }, 400, "session_ids[1]:"],
      [{ session_ids: [session.id, session.id] }, 400, "session_ids[1]: duplicates session_ids[0]"],
      [{ session_ids: Array.from({ length: 101 }, (_, index) => `sesn_${index}`) }, 400, "session_ids: must list at most 100"],
      [{ session_ids: [session.id, "sesn_doesnotexist000000000"] }, 404, "session_ids[1]:"],
      [{ environment_id: "" }, 400, "environment_id:"],
      [{ environment_id: 42 }, 400, "environment_id:"],
      [{ environment_id: "env_doesnotexist0000000000" }, 404, "environment_id:"],
    ];
    for (const [scope, status, field] of cases) {
      const response = await raw("POST", "/v1/api_keys", { body: { name: "bad scope", role: "runtime", ...scope } });
      await expectApiError(response, status, status === 404 ? "not_found_error" : "invalid_request_error", field);
    }
  });

  it("shows the scope on the key object, in the create response and the list", async () => {
    const session = await readySession();
    const bySessions = await createKeyWithSdk({ role: "runtime", session_ids: [session.id] });
    expect(bySessions).toMatchObject({ role: "runtime", session_ids: [session.id], environment_id: null });
    const byEnvironment = await createKeyWithSdk({ role: "runtime", environment_id: prerequisites.environment.id });
    expect(byEnvironment).toMatchObject({ role: "runtime", session_ids: null, environment_id: prerequisites.environment.id });
    const admin = await createKeyWithSdk({ role: "admin" });
    expect(admin).toMatchObject({ role: "admin", session_ids: null, environment_id: null });
    const list = await anthropic.get<{ data: ApiKeyObject[] }>("/v1/api_keys", { headers: { "anthropic-beta": BETA_HEADER } });
    const listed = new Map(list.data.map((key) => [key.id, key]));
    expect(listed.get(bySessions.id)).toMatchObject({ session_ids: [session.id], environment_id: null });
    expect(listed.get(byEnvironment.id)).toMatchObject({ session_ids: null, environment_id: prerequisites.environment.id });
    expect(listed.get(bySessions.id)).not.toHaveProperty("key");
  });
});

describe("fetching runtime settings", () => {
  it("a key scoped to session A gets 403 for session B, and B's runtime keeps its placeholder", async () => {
    const [{ session: sessionA, key: keyA }, { session: sessionB, key: keyB }] = await Promise.all([readySessionWithKey(), readySessionWithKey()]);
    const runtimeB = await fetchRuntime(sessionB.id, keyB.key);
    expect((await callModel(runtimeB)).content).toEqual(anthropicMessage().content);

    await expectApiError(fetchRuntime(sessionB.id, keyA.key), 403, "permission_error", [sessionA.id, sessionB.id]);
    const rawRefusal = await raw("POST", `/v1/sessions/${sessionB.id}/runtime`, { headers: { "x-api-key": keyA.key } });
    await expectApiError(rawRefusal, 403, "permission_error", `scoped to session ${sessionA.id}`);

    // The refused fetches revoked nothing: B's runtime still reaches the model.
    stub.clear();
    await callModel(runtimeB);
    expect(stub.requests).toHaveLength(1);
    // And A's own key works for A.
    expect((await fetchRuntime(sessionA.id, keyA.key)).session_id).toBe(sessionA.id);
  });

  it("an environment-scoped key serves the sessions of that environment only", async () => {
    const otherEnvironment = await createEnvironment(anthropic, "runtime keys other");
    const [inside, alsoInside, outside] = await Promise.all([readySession(), readySession(), readySession(otherEnvironment)]);
    const key = await createApiKey("runtime", { scope: { environment_id: prerequisites.environment.id } });
    for (const session of [inside, alsoInside]) {
      const runtime = await fetchRuntime(session.id, key.key);
      expect(runtime.session_id).toBe(session.id);
      await callModel(runtime);
    }
    const refusal = await expectApiError(fetchRuntime(outside.id, key.key), 403, "permission_error", [
      `environment ${prerequisites.environment.id}`,
      `${outside.id} is not one of them`,
    ]);
    // Nothing about the session itself: not even which environment it is in.
    expect(refusal.message).not.toContain(otherEnvironment.id);
  });

  it("scope before existence: an unknown session id gets the same 403 as another's, never a 404", async () => {
    const otherEnvironment = await createEnvironment(anthropic, "runtime keys probe");
    const [mine, theirs] = await Promise.all([readySession(), readySession(otherEnvironment)]);
    const unknown = "sesn_doesnotexist0000000000";
    const bySessions = await createApiKey("runtime", { scope: { session_ids: [mine.id] } });
    const byEnvironment = await createApiKey("runtime", { scope: { environment_id: prerequisites.environment.id } });
    for (const key of [bySessions, byEnvironment]) {
      const existing = await expectApiError(fetchRuntime(theirs.id, key.key), 403, "permission_error");
      const missing = await expectApiError(fetchRuntime(unknown, key.key), 403, "permission_error");
      // The two messages differ only in the id asked for.
      expect(missing.message).toBe(existing.message.replaceAll(theirs.id, unknown));
    }
  });

  it("an out-of-scope key learns nothing about an unready session: 403, not its diagnostics", async () => {
    const notReady = await createSession(anthropic, prerequisites);
    const key = await createApiKey("runtime", { scope: { session_ids: [(await readySession()).id] } });
    const details = await expectApiError(fetchRuntime(notReady.id, key.key), 403, "permission_error");
    expect(details.message).not.toMatch(/no_llm_vault|not ready/);
  });
});

describe("revoking a runtime key", () => {
  it("revokes the placeholders it obtained: the boundary refuses them on the next call", async () => {
    const [{ session, key }, { session: otherSession, key: otherKey }] = await Promise.all([readySessionWithKey(), readySessionWithKey()]);
    const runtime = await fetchRuntime(session.id, key.key);
    const otherRuntime = await fetchRuntime(otherSession.id, otherKey.key);
    await callModel(runtime);

    const revoked = await raw("POST", `/v1/api_keys/${key.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect((revoked.json as ApiKeyObject).revoked_at).not.toBeNull();

    stub.clear();
    await expectApiError(callModel(runtime), 401, "authentication_error");
    expect(stub.requests, "requests the revoked placeholder got through").toEqual([]);
    await expectApiError(fetchRuntime(session.id, key.key), 401, "authentication_error");
    // Another key's placeholder is untouched.
    await callModel(otherRuntime);
    expect(stub.requests).toHaveLength(1);
  });

  it("a placeholder stops at its key's expiry", async () => {
    const session = await readySession();
    const expiresAt = new Date(Date.now() + 4_000);
    const created = await createKeyWithSdk({ role: "runtime", session_ids: [session.id], expires_at: expiresAt.toISOString() });
    const runtime = await fetchRuntime(session.id, created.key ?? "");
    await callModel(runtime);
    await sleep(Math.max(0, expiresAt.getTime() - Date.now()) + 500);
    stub.clear();
    await expectApiError(callModel(runtime), 401, "authentication_error", "expired");
    expect(stub.requests).toEqual([]);
  });
});
