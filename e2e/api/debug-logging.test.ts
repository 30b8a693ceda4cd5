// Issue 9: "NODE_DEBUG=http prints the real token". The boundary used to pass the token's headers
// in http.request's options, which Node's http debug log prints as the agent connects. A console
// of the test's own runs with NODE_DEBUG=http,net,tls; after a call through the boundary and a
// test connection, its log must show the debug output and never the token.
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startOwnConsole, type OwnConsole } from "./own-console";
import {
  SECRET_MARKER,
  apiKey,
  client,
  createApiKey,
  createLlmVaultOn,
  createSession,
  createSessionPrerequisites,
  fetchRuntime,
  guardResponses,
  raw,
  recordingFetch,
  runtimeSdk,
  secret,
} from "./support";
import { STUB_MODEL, startStubUpstream, type StubUpstream } from "./stub-upstream";

guardResponses();

let own: OwnConsole;
let stub: StubUpstream;

beforeAll(async () => {
  [own, stub] = await Promise.all([startOwnConsole({ NODE_DEBUG: "http,net,tls" }), startStubUpstream()]);
}, 180_000);

afterAll(async () => {
  await Promise.all([own?.stop(), stub?.close()]);
});

describe("NODE_DEBUG=http,net,tls", () => {
  it("prints no token after a boundary call and a test connection", async () => {
    const ownerKey = own.ownerKey ?? apiKey();
    const anthropic = client({ baseURL: own.url, apiKey: ownerKey });
    const token = secret("debug-logging");
    const { vault } = await createLlmVaultOn(anthropic, "debug", stub.origin, token);
    const session = await createSession(anthropic, await createSessionPrerequisites(anthropic, "debug"), { vault_ids: [vault.id] });
    const runtimeKey = await createApiKey("runtime", { baseURL: own.url, ownerKey, scope: { session_ids: [session.id] } });
    const runtime = await fetchRuntime(session.id, runtimeKey.key, own.url);

    await runtimeSdk(runtime, { fetch: recordingFetch }).messages.create({
      model: STUB_MODEL,
      max_tokens: 16,
      messages: [{ role: "user", content: "hi" }],
    });
    const tested = await raw("POST", `/v1/vaults/${vault.id}/test`, { baseURL: own.url, headers: { "x-api-key": ownerKey } });
    expect((tested.json as { outcome?: string }).outcome).toBe("ok");
    expect(stub.requests.filter((request) => request.headers["x-api-key"] === token)).toHaveLength(2);

    // The console's output reaches the log through a pipe: give it a moment.
    await sleep(500);
    const log = readFileSync(own.logPath, "utf8");
    expect(log, "the http debug log is on").toMatch(/^HTTP \d+: /m);
    expect(log, "the http debug log shows the upstream connection").toContain("createConnection");
    expect(log.includes(token), "the log contains the token").toBe(false);
    expect(log.includes(SECRET_MARKER), "the log contains the secret marker").toBe(false);
  });
});
