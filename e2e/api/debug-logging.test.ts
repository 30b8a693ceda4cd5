// Issue 9: "NODE_DEBUG=http prints the real token". The boundary used to pass the token's headers
// in http.request's options, which Node's http debug log prints as the agent connects. A console
// of the test's own runs with NODE_DEBUG=http,net,tls; after a call through the boundary and a
// test connection, its log must show the debug output and never the token.
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startOwnConsole, type OwnConsole } from "./own-console";
import {
  BETA_HEADER,
  RESERVED,
  SECRET_MARKER,
  apiKey,
  client,
  createApiKey,
  guardResponses,
  llmCredentialAuth,
  llmVaultMetadata,
  raw,
  recordingFetch,
  secret,
  uniqueName,
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
    const vault = await anthropic.beta.vaults.create({ display_name: uniqueName("debug"), metadata: llmVaultMetadata({ [`${RESERVED}llm_base_url`]: stub.origin }) });
    await anthropic.beta.vaults.credentials.create(vault.id, { auth: llmCredentialAuth(token) });
    const [agent, environment] = await Promise.all([
      anthropic.beta.agents.create({ name: uniqueName("debug agent"), model: STUB_MODEL }),
      anthropic.beta.environments.create({ name: uniqueName("debug env"), config: { type: "cloud", networking: { type: "unrestricted" } } }),
    ]);
    const session = await anthropic.beta.sessions.create({ agent: agent.id, environment_id: environment.id, vault_ids: [vault.id] });
    const runtimeKey = await createApiKey("runtime", { baseURL: own.url, ownerKey, scope: { session_ids: [session.id] } });
    const runtime = await client({ baseURL: own.url, apiKey: runtimeKey.key }).post<{ env: { ANTHROPIC_BASE_URL: string; ANTHROPIC_API_KEY: string } }>(
      `/v1/sessions/${session.id}/runtime`,
      { headers: { "anthropic-beta": BETA_HEADER } },
    );

    const sdk = new Anthropic({ baseURL: runtime.env.ANTHROPIC_BASE_URL, apiKey: runtime.env.ANTHROPIC_API_KEY, maxRetries: 0, fetch: recordingFetch });
    await sdk.messages.create({ model: STUB_MODEL, max_tokens: 16, messages: [{ role: "user", content: "hi" }] });
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
