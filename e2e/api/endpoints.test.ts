// Issue 9, "the token is bound to its endpoint" and "endpoint policy": an LLM vault's llm_base_url
// is checked by one policy at write time and at connect time (https only; loopback, private,
// link-local, metadata and plain-http destinations only when listed in CONSOLE_PRIVATE_ENDPOINTS,
// which the suite sets to 127.0.0.1-127.0.0.5 for its stubs), stored normalized, and cannot change while the
// vault holds a token. Listeners on 127.0.0.9 (a loopback address the suite does not list) count
// every connection, to show that a refused write never dials anything. The boundary's own refusals
// carry `x-should-retry: false`, so the official SDK does not retry them; an endpoint that did not
// answer is no refusal, and is left to the SDK's back-off.
import { createServer, type Server } from "node:net";
import type { AddressInfo } from "node:net";

import type Anthropic from "@anthropic-ai/sdk";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { sharedDatabaseUrl } from "./own-console";
import {
  RESERVED,
  client,
  createApiKey,
  createVault,
  expectApiError,
  fetchRuntime,
  guardResponses,
  llmCredentialAuth,
  llmVaultMetadata,
  raw,
  recordingFetch,
  runtimeSdk,
  secondBaseUrl,
  secret,
  takeServerErrors,
  setUpRuntimeEnvironment,
  type WiredSession,
} from "./support";
import { anthropicApi, closedPortOrigin, everythingReceived, startStubUpstream, STUB_MODEL, type StubUpstream } from "./stub-upstream";

guardResponses();

const anthropic = client();
const KEY = `${RESERVED}llm_base_url`;
const FIELD = `metadata.${KEY}: `;
const BOUND_FIX = /archive the credential, change the endpoint, then add the token for the new endpoint/i;
const MESSAGE_PARAMS = { model: STUB_MODEL, max_tokens: 16, messages: [{ role: "user" as const, content: "hi" }] };

/** A TCP listener that only counts connections: anything that dials it shows up here. */
interface Listener {
  port: number;
  connections: number;
  server: Server;
}

async function startListener(host: string): Promise<Listener> {
  const listener: Listener = { port: 0, connections: 0, server: createServer() };
  listener.server.on("connection", (socket) => {
    listener.connections += 1;
    socket.destroy();
  });
  await new Promise<void>((listening) => listener.server.listen(0, host, listening));
  listener.port = (listener.server.address() as AddressInfo).port;
  return listener;
}

let unlisted: Listener;
let stub: StubUpstream;
let elsewhere: StubUpstream;
const environment = setUpRuntimeEnvironment(anthropic, "endpoints");

beforeAll(async () => {
  [unlisted, stub, elsewhere] = await Promise.all([startListener("127.0.0.9"), startStubUpstream(), startStubUpstream()]);
});

afterAll(async () => {
  await Promise.all([stub?.close(), elsewhere?.close(), new Promise((closed) => unlisted?.server.close(closed))]);
});

/** The runtime's SDK; `calls` counts every HTTP attempt it makes, retries included. */
function countingSdk(wired: WiredSession, maxRetries = 0): { sdk: Anthropic; calls: () => number } {
  let calls = 0;
  const sdk = runtimeSdk(wired.runtime, {
    maxRetries,
    fetch: (input, init) => {
      calls += 1;
      return recordingFetch(input, init);
    },
  });
  return { sdk, calls: () => calls };
}

async function testConnection(vaultId: string) {
  return raw("POST", `/v1/vaults/${vaultId}/test`);
}

describe("write time: destinations the policy refuses, never dialled", () => {
  const refused = (): Array<[string, string]> => [
    ["link-local metadata address", "https://169.254.169.254/latest"],
    ["private 10/8", "https://10.1.2.3"],
    ["private 192.168/16", "https://192.168.1.10:8443/v1"],
    ["carrier-grade NAT (Alibaba metadata)", "https://100.100.100.200"],
    ["unspecified 0.0.0.0", `http://0.0.0.0:${unlisted.port}`],
    ["IPv6 loopback", `http://[::1]:${unlisted.port}`],
    ["IPv4-mapped loopback", `http://[::ffff:127.0.0.1]:${unlisted.port}`],
    ["IPv6 unique-local metadata (AWS)", "https://[fd00:ec2::254]"],
    ["http to an unlisted loopback", `http://127.0.0.9:${unlisted.port}`],
    ["decimal form of an unlisted loopback", `http://2130706434:${unlisted.port}`],
    ["hex form of an unlisted loopback", `http://0x7f.2:${unlisted.port}`],
    ["octal form of an unlisted loopback", `http://0177.0.0.2:${unlisted.port}`],
    ["a metadata name", "https://metadata.google.internal/computeMetadata/v1"],
    ["localhost", `http://localhost:${unlisted.port}`],
    ["a subdomain of localhost", "https://api.localhost"],
    ["plain http to a public host", "http://llm-gateway.example.com"],
    ["a leading space", " https://llm-gateway.example.com"],
    ["a trailing newline", "https://llm-gateway.example.com\n"],
    ["a backslash before @", "https://\\@llm-gateway.example.com"],
    ["a tab in the host", "https://llm-gate\tway.example.com"],
    ["an empty userinfo", "https://@llm-gateway.example.com"],
    ["a fragment", "https://llm-gateway.example.com/#x"],
  ];

  it("refuses each on create (raw HTTP) with a 400 naming the key", async () => {
    for (const [label, url] of refused()) {
      const response = await raw("POST", "/v1/vaults", {
        body: { display_name: `endpoints ${label}`, metadata: llmVaultMetadata({ [KEY]: url }) },
      });
      const details = await expectApiError(response, 400, "invalid_request_error");
      expect(details.message.startsWith(FIELD), `${label}: ${details.message}`).toBe(true);
    }
    expect(unlisted.connections, "connections to the unlisted loopback listener").toBe(0);
  });

  it("refuses each on update (SDK) and leaves the vault as it was", async () => {
    const vault = await createVault(anthropic, "endpoints refused updates", llmVaultMetadata());
    for (const [label, url] of refused()) {
      await expectApiError(anthropic.beta.vaults.update(vault.id, { metadata: { [KEY]: url } }), 400, "invalid_request_error", FIELD);
      expect((await anthropic.beta.vaults.retrieve(vault.id)).metadata, label).toEqual(llmVaultMetadata());
    }
    expect(unlisted.connections, "connections to the unlisted loopback listener").toBe(0);
  });

  it("says how to allow a private host: CONSOLE_PRIVATE_ENDPOINTS", async () => {
    const response = await raw("POST", "/v1/vaults", {
      body: { display_name: "endpoints hint", metadata: llmVaultMetadata({ [KEY]: "https://10.1.2.3" }) },
    });
    await expectApiError(response, 400, "invalid_request_error", [FIELD, "10.1.2.3", "private", "CONSOLE_PRIVATE_ENDPOINTS"]);
  });
});

describe("write time: stored normalized", () => {
  it("stores one spelling: lowercase scheme and host, no default port, no trailing slash, numeric IPv4 read", async () => {
    const cases: Array<[string, string]> = [
      ["HTTPS://LLM-Gateway.Example.COM:443/anthropic//", "https://llm-gateway.example.com/anthropic"],
      ["https://llm-gateway.example.com/a/./b/../v1/", "https://llm-gateway.example.com/a/v1"],
      [`http://2130706433:${stub.origin.split(":")[2]}/`, stub.origin],
      [`HTTP://127.1:${stub.origin.split(":")[2]}/Proxy/`, `${stub.origin}/Proxy`],
    ];
    for (const [typed, stored] of cases) {
      const vault = await anthropic.beta.vaults.create({
        display_name: "endpoints normalized",
        metadata: llmVaultMetadata({ [KEY]: typed }),
      });
      expect(vault.metadata[KEY], typed).toBe(stored);
      expect((await anthropic.beta.vaults.retrieve(vault.id)).metadata[KEY]).toBe(stored);
      const updated = await anthropic.beta.vaults.update(vault.id, { metadata: { [KEY]: `${typed.replace(/\/+$/, "")}/x/../` } });
      expect(updated.metadata[KEY], `${typed} on update`).toBe(stored);
    }
  });
});

describe("the token is bound to its endpoint", () => {
  it("an admin key cannot move llm_base_url to its own listener; /test and the boundary keep to the stored endpoint", async () => {
    stub.clear();
    stub.handle(anthropicApi());
    elsewhere.clear();
    const wired = await environment.wire(stub.origin, "admin move");
    const admin = client({ apiKey: (await createApiKey("admin")).key });

    for (const target of [elsewhere.origin, `${elsewhere.origin}/v1`, null]) {
      const details = await expectApiError(admin.beta.vaults.update(wired.vault.id, { metadata: { [KEY]: target } }), 409, "conflict_error", BOUND_FIX);
      expect(details.message).toContain(wired.credentialId);
    }
    // The same endpoint in another spelling is no change.
    await admin.beta.vaults.update(wired.vault.id, { metadata: { [KEY]: `${stub.origin}/` }, display_name: "endpoints renamed" });
    expect((await anthropic.beta.vaults.retrieve(wired.vault.id)).metadata[KEY]).toBe(stub.origin);

    const tested = await testConnection(wired.vault.id);
    expect(tested.status).toBe(200);
    expect((tested.json as { outcome: string }).outcome).toBe("ok");
    await countingSdk(wired).sdk.messages.create(MESSAGE_PARAMS);
    expect(stub.requests).toHaveLength(2);
    expect(elsewhere.requests, "requests that reached the admin's listener").toEqual([]);
  });

  it("keeps the seed's flow possible in that order: archive the credential, change the endpoint, add the token", async () => {
    stub.clear();
    elsewhere.clear();
    elsewhere.handle(anthropicApi());
    const wired = await environment.wire(stub.origin, "seed flow");
    await anthropic.beta.vaults.credentials.archive(wired.credentialId, { vault_id: wired.vault.id });
    await anthropic.beta.vaults.update(wired.vault.id, { metadata: { [KEY]: elsewhere.origin } });
    const newToken = secret("endpoints-seed-new");
    await anthropic.beta.vaults.credentials.create(wired.vault.id, { auth: llmCredentialAuth(newToken) });
    expect(((await testConnection(wired.vault.id)).json as { outcome: string }).outcome).toBe("ok");
    await countingSdk(wired).sdk.messages.create(MESSAGE_PARAMS);
    expect(stub.requests).toEqual([]);
    expect(elsewhere.requests).toHaveLength(2);
    for (const request of elsewhere.requests) expect(request.headers["x-api-key"] === newToken, "the token added for the new endpoint").toBe(true);
    expect(everythingReceived(elsewhere.requests).includes(wired.token), "the old token at the new endpoint").toBe(false);
  });

  it("credential creates racing endpoint changes never leave a token bound to another endpoint", async () => {
    stub.clear();
    stub.handle(anthropicApi());
    elsewhere.clear();
    elsewhere.handle(anthropicApi());
    const vault = await createVault(anthropic, "endpoints race", llmVaultMetadata({ [KEY]: stub.origin }));
    const token = secret("endpoints-race");
    // On PostgreSQL the two requests go to two console processes.
    const other = client({ baseURL: secondBaseUrl() ?? undefined });
    const outcomes = await Promise.allSettled([
      anthropic.beta.vaults.credentials.create(vault.id, { auth: llmCredentialAuth(token) }),
      other.beta.vaults.update(vault.id, { metadata: { [KEY]: elsewhere.origin } }),
    ]);
    expect(outcomes[0]?.status, "the credential create").toBe("fulfilled");
    const moved = outcomes[1]?.status === "fulfilled";
    if (!moved) expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(BOUND_FIX);
    const tested = await testConnection(vault.id);
    expect((tested.json as { outcome: string }).outcome).toBe("ok");
    // Whichever won, the token went to the endpoint the vault names, which is where it was stored.
    const current = (await anthropic.beta.vaults.retrieve(vault.id)).metadata[KEY];
    expect(current).toBe(moved ? elsewhere.origin : stub.origin);
    expect((moved ? stub : elsewhere).requests).toEqual([]);
  });
});

describe("boundary refusals tell the runtime not to retry", () => {
  it("401 for a wrong placeholder, 409 for an archived session: x-should-retry false", async () => {
    const wired = await environment.wire(stub.origin, "no retry 401");
    const path = `${new URL(wired.runtime.env.ANTHROPIC_BASE_URL).pathname}/v1/messages`;
    const wrong = await raw("POST", path, {
      omitApiKey: true,
      omitBeta: true,
      body: MESSAGE_PARAMS,
      headers: { "x-api-key": "s0rt_wrong" },
    });
    await expectApiError(wrong, 401, "authentication_error", "runtime settings");
    expect(wrong.headers.get("x-should-retry")).toBe("false");
    await anthropic.beta.sessions.archive(wired.session.id);
    const archived = await raw("POST", path, {
      omitApiKey: true,
      omitBeta: true,
      body: MESSAGE_PARAMS,
      headers: { "x-api-key": wired.runtime.env.ANTHROPIC_API_KEY },
    });
    await expectApiError(archived, 409, "conflict_error", "Start a new session");
    expect(archived.headers.get("x-should-retry")).toBe("false");
  });

  it("409 for an archived credential: the SDK makes one call, not one per retry", async () => {
    stub.clear();
    const wired = await environment.wire(stub.origin, "no retry 409");
    await anthropic.beta.vaults.credentials.archive(wired.credentialId, { vault_id: wired.vault.id });
    const { sdk, calls } = countingSdk(wired, 2);
    const details = await expectApiError(sdk.messages.create(MESSAGE_PARAMS), 409, "conflict_error", "add its token");
    expect(details.message).not.toContain(wired.token);
    expect(calls(), "HTTP calls the SDK made (a 409 is retried unless told not to)").toBe(1);
    expect(stub.requests).toEqual([]);
  });

  it("502 for an unreachable endpoint: left to the SDK's back-off, which may outlast a blip, with a message that says what to check", async () => {
    const wired = await environment.wire(await closedPortOrigin(), "retry 502");
    const { sdk, calls } = countingSdk(wired, 2);
    await expectApiError(sdk.messages.create(MESSAGE_PARAMS), 502, "api_error", ["unreachable", "check that it is up"]);
    expect(calls(), "an endpoint that did not answer is no refusal: the SDK retries it").toBe(3);
    expect(takeServerErrors(new URL(wired.runtime.env.ANTHROPIC_BASE_URL).pathname)).toEqual([502, 502, 502]);
  });
});

// A row changed behind the services' back (an old row, a database edit): the connect-time checks
// still hold. Only on PostgreSQL, where the test can reach the database the console uses.
describe.runIf(sharedDatabaseUrl())("connect time: the stored URL is checked again (PostgreSQL)", () => {
  async function setStoredBaseUrl(vaultId: string, url: string): Promise<void> {
    const database = new pg.Client({ connectionString: sharedDatabaseUrl() });
    await database.connect();
    try {
      await database.query(`UPDATE vaults SET metadata = jsonb_set(metadata, $2::text[], to_jsonb($3::text)) WHERE id = $1`, [vaultId, [KEY], url]);
    } finally {
      await database.end();
    }
  }

  /** A credential as stored before tokens were bound to an endpoint. */
  async function clearEndpointOrigin(credentialId: string): Promise<void> {
    const database = new pg.Client({ connectionString: sharedDatabaseUrl() });
    await database.connect();
    try {
      await database.query(`UPDATE vault_credentials SET endpoint_origin = NULL WHERE id = $1`, [credentialId]);
    } finally {
      await database.end();
    }
  }

  /** The session's llm_endpoint_refused check, and whether the session is ready. */
  async function endpointCheck(sessionId: string): Promise<{ ready: boolean; check: { ok: boolean; message: string; fix: string | null } | undefined }> {
    const response = await raw("GET", `/v1/sessions/${sessionId}/diagnostics`);
    expect(response.status).toBe(200);
    const body = response.json as { ready: boolean; checks: Array<{ code: string; ok: boolean; message: string; fix: string | null }> };
    return { ready: body.ready, check: body.checks.find((entry) => entry.code === "llm_endpoint_refused") };
  }

  it("a stored destination the policy refuses gets a 409 with x-should-retry false, from the boundary and /test", async () => {
    const wired = await environment.wire(stub.origin, "stored refused");
    await setStoredBaseUrl(wired.vault.id, `http://127.0.0.9:${unlisted.port}`);
    const { sdk, calls } = countingSdk(wired, 2);
    await expectApiError(sdk.messages.create(MESSAGE_PARAMS), 409, "conflict_error", ["127.0.0.9", "CONSOLE_PRIVATE_ENDPOINTS"]);
    expect(calls()).toBe(1);
    await expectApiError(await testConnection(wired.vault.id), 409, "conflict_error", "127.0.0.9");
    expect(unlisted.connections).toBe(0);
  });

  it("a stored destination the policy refuses makes the session not ready, and the vault takes no update until it is allowed or changed", async () => {
    const wired = await environment.wire(stub.origin, "stored refused diagnostics");
    expect(await endpointCheck(wired.session.id)).toMatchObject({ ready: true, check: { ok: true } });
    await setStoredBaseUrl(wired.vault.id, `http://127.0.0.9:${unlisted.port}`);
    // The diagnostics say what the boundary would answer, and how to fix it.
    const { ready, check } = await endpointCheck(wired.session.id);
    expect(ready).toBe(false);
    expect(check?.ok).toBe(false);
    expect(check?.message).toContain(`http://127.0.0.9:${unlisted.port}`);
    expect(check?.fix).toContain(`list 127.0.0.9:${unlisted.port} in CONSOLE_PRIVATE_ENDPOINTS`);
    expect(check?.fix).toContain(`archive credential ${wired.credentialId}`);
    // So the runtime gets no settings that would only earn a 409 on every model call.
    await expectApiError(fetchRuntime(wired.session.id, environment.runtimeKey.key), 409, "conflict_error", ["llm_endpoint_refused", "127.0.0.9"]);
    // Any update of the vault re-checks the stored URL with the merged metadata: 400 on the key.
    await expectApiError(anthropic.beta.vaults.update(wired.vault.id, { display_name: "endpoints renamed" }), 400, "invalid_request_error", [
      FIELD,
      "CONSOLE_PRIVATE_ENDPOINTS",
    ]);
    expect(unlisted.connections).toBe(0);
  });

  it("a token stored before binding (no endpoint origin) makes the session not ready; rotating the token binds it", async () => {
    stub.clear();
    stub.handle(anthropicApi());
    const wired = await environment.wire(stub.origin, "stored unbound");
    await clearEndpointOrigin(wired.credentialId);
    const { ready, check } = await endpointCheck(wired.session.id);
    expect(ready).toBe(false);
    expect(check?.message).toContain(wired.credentialId);
    expect(check?.fix).toContain(`Rotate credential ${wired.credentialId}`);
    expect(check?.fix).toContain(stub.origin);
    await expectApiError(fetchRuntime(wired.session.id, environment.runtimeKey.key), 409, "conflict_error", "llm_endpoint_refused");
    // The boundary agrees: the placeholder issued earlier gets the 409 too.
    const { sdk } = countingSdk(wired);
    await expectApiError(sdk.messages.create(MESSAGE_PARAMS), 409, "conflict_error", "add the token");
    expect(stub.requests).toEqual([]);

    await anthropic.beta.vaults.credentials.update(wired.credentialId, {
      vault_id: wired.vault.id,
      auth: { type: "static_bearer", token: secret("endpoints-rebound") },
    });
    expect(await endpointCheck(wired.session.id)).toMatchObject({ ready: true, check: { ok: true, fix: null } });
    await fetchRuntime(wired.session.id, environment.runtimeKey.key);
  });

  it("a token stored for another origin is not sent to the one the vault names now", async () => {
    elsewhere.clear();
    const wired = await environment.wire(stub.origin, "stored moved");
    await setStoredBaseUrl(wired.vault.id, elsewhere.origin);
    const response = await raw("POST", `${new URL(wired.runtime.env.ANTHROPIC_BASE_URL).pathname}/v1/messages`, {
      omitApiKey: true,
      omitBeta: true,
      body: MESSAGE_PARAMS,
      headers: { "x-api-key": wired.runtime.env.ANTHROPIC_API_KEY },
    });
    await expectApiError(response, 409, "conflict_error", [stub.origin, "add the token"]);
    expect(response.headers.get("x-should-retry")).toBe("false");
    await expectApiError(await testConnection(wired.vault.id), 409, "conflict_error", stub.origin);
    expect(elsewhere.requests).toEqual([]);
  });

  it("the audit log records an endpoint change with both origins and no token", async () => {
    const vault = await createVault(anthropic, "endpoints audit", llmVaultMetadata({ [KEY]: stub.origin }));
    await anthropic.beta.vaults.update(vault.id, { metadata: { [KEY]: `${elsewhere.origin}/v1` } });
    const database = new pg.Client({ connectionString: sharedDatabaseUrl() });
    await database.connect();
    try {
      const { rows } = await database.query<{ details: Record<string, unknown> }>(
        `SELECT details FROM audit_events WHERE resource_id = $1 AND action = 'vault.update'`,
        [vault.id],
      );
      expect(rows.map((row) => row.details.llm_endpoint_changed)).toEqual([{ from: stub.origin, to: elsewhere.origin }]);
    } finally {
      await database.end();
    }
  });
});
