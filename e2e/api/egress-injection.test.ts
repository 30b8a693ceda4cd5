// The egress proxy injects each credential kind for its own host only (SPEC §7, egress mode). One
// session holds an LLM vault, an HTTP-header credential vault and a vault of MCP and
// environment-variable credentials, each for its own https stub on its own loopback address; a
// fifth stub has nothing attached. Requests go through the console's running proxy with the
// session's proxy credentials, over raw CONNECT + TLS as a sandbox's tools would, so each test sees
// which certificate it was shown and the stubs show what reached which host.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  RESERVED,
  SECRET_MARKER,
  client,
  createLlmVaultOn,
  createSession,
  createVault,
  guardResponses,
  redact,
  secret,
  setUpRuntimeEnvironment,
  unchecked,
  type Credential,
} from "./support";
import {
  egressUrl,
  fetchEgressRuntime,
  issuedBy,
  openConnection,
  proxyOf,
  type EgressRuntime,
  type ProxyEndpoint,
  type TunnelledConnection,
} from "./egress-client";
import { answerOk, startHttpsStub, testUpstreamCa, type HttpsStub } from "./https-stub";
import { everythingReceived } from "./stub-upstream";

guardResponses();

const anthropic = client();
const environment = setUpRuntimeEnvironment(anthropic, "egress injection");

// The hosts of role=credential vaults and environment_variable credentials are bare names (no
// port), so their stubs listen on 443; the others name their port in a URL.
const LLM_HOST = "127.0.0.2";
const HEADER_HOST = "127.0.0.3";
const MCP_HOST = "127.0.0.4";
const VARIABLE_HOST = "127.0.0.5";
const PLAIN_HOST = "127.0.0.1";

const SECRET_NAME = "SERVICE_TOKEN";

let llmStub: HttpsStub;
let headerStub: HttpsStub;
let mcpStub: HttpsStub;
let variableStub: HttpsStub;
let plainStub: HttpsStub;
let stubs: HttpsStub[];

const llmToken = secret("egress-llm");
const headerToken = secret("egress-header");
const mcpBearerToken = secret("egress-mcp-bearer");
const mcpOauthToken = secret("egress-mcp-oauth");
const variableValue = secret("egress-variable");
const allSecrets = [llmToken, headerToken, mcpBearerToken, mcpOauthToken, variableValue];

let runtime: EgressRuntime;
let proxy: ProxyEndpoint;
const open: TunnelledConnection[] = [];

beforeAll(async () => {
  [llmStub, headerStub, mcpStub, variableStub, plainStub] = await Promise.all([
    startHttpsStub({ host: LLM_HOST, handler: answerOk }),
    startHttpsStub({ host: HEADER_HOST, port: 443, handler: answerOk }),
    startHttpsStub({ host: MCP_HOST, handler: answerOk }),
    startHttpsStub({ host: VARIABLE_HOST, port: 443, handler: answerOk }),
    startHttpsStub({ host: PLAIN_HOST, handler: answerOk }),
  ]);
  stubs = [llmStub, headerStub, mcpStub, variableStub, plainStub];

  const llm = await createLlmVaultOn(anthropic, "egress llm", llmStub.origin, llmToken);
  const headerVault = await createVault(anthropic, "egress headers", {
    [`${RESERVED}role`]: "credential",
    [`${RESERVED}kind`]: "http_headers",
    [`${RESERVED}version`]: "1",
    [`${RESERVED}target_domains`]: HEADER_HOST,
    [`${RESERVED}headers_json`]: JSON.stringify({ "X-Service-Key": "{{token}}", "X-Service-Auth": "Token {{token}}" }),
  });
  // The vault's token: a static bearer without mcp_server_url, which a role=credential vault allows.
  await anthropic.beta.vaults.credentials.create(headerVault.id, { auth: unchecked({ type: "static_bearer", token: headerToken }) });
  const toolsVault = await createVault(anthropic, "egress tools");
  const created: Credential[] = await Promise.all([
    anthropic.beta.vaults.credentials.create(toolsVault.id, {
      auth: { type: "static_bearer", token: mcpBearerToken, mcp_server_url: `${mcpStub.origin}/mcp` },
    }),
    anthropic.beta.vaults.credentials.create(toolsVault.id, {
      auth: {
        type: "mcp_oauth",
        access_token: mcpOauthToken,
        mcp_server_url: `${mcpStub.origin}/oauth/mcp`,
        expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      },
    }),
    anthropic.beta.vaults.credentials.create(toolsVault.id, {
      auth: {
        type: "environment_variable",
        secret_name: SECRET_NAME,
        secret_value: variableValue,
        networking: { type: "limited", allowed_hosts: [VARIABLE_HOST] },
        injection_location: { header: true, body: true },
      },
    }),
  ]);
  expect(created).toHaveLength(3);
  const session = await createSession(anthropic, environment.prerequisites, { vault_ids: [llm.vault.id, headerVault.id, toolsVault.id] });
  runtime = await fetchEgressRuntime(session.id, environment.runtimeKey.key);
  proxy = proxyOf(runtime);
});

afterAll(async () => {
  for (const connection of open) connection.close();
  await Promise.all((stubs ?? []).map((stub) => stub.close()));
});

async function connectTo(stub: HttpsStub, ca: string = runtime.ca_certificate): Promise<TunnelledConnection> {
  const connection = await openConnection(proxy, { host: stub.host, port: stub.port }, ca);
  open.push(connection);
  return connection;
}

function clearStubs(): void {
  for (const stub of stubs) stub.clear();
}

/** The one request `stub` received; fails the test unless there was exactly one. */
function onlyRequest(stub: HttpsStub) {
  expect(stub.requests, `requests ${stub.host} received`).toHaveLength(1);
  const [request] = stub.requests;
  if (!request) throw new Error("unreachable");
  return request;
}

/** None of `secrets` in what `stub` received (the placeholder always counts as one). */
function expectNoneOf(stub: HttpsStub, secrets: string[], label: string): void {
  const seen = everythingReceived(stub.requests);
  for (const value of [...secrets, runtime.env.ANTHROPIC_API_KEY ?? ""]) {
    expect(seen.includes(value), `${label}: ${redact(value).slice(0, 30)}… reached ${stub.host}`).toBe(false);
  }
}

describe("egress runtime settings", () => {
  it("name this console's egress proxy with the session's placeholder as proxy credentials", () => {
    expect(`http://${proxy.host}:${proxy.port}`).toBe(egressUrl(1));
    expect(proxy.sessionId).toBe(runtime.session_id);
    expect(proxy.placeholder).toBe(runtime.env.ANTHROPIC_API_KEY);
    expect(runtime.env.ANTHROPIC_BASE_URL).toBe(llmStub.origin);
    expect(runtime.env[SECRET_NAME]).toMatch(/^s0ev_/);
    expect(JSON.stringify(runtime).includes(SECRET_MARKER), "runtime settings carry a secret").toBe(false);
  });
});

describe("injection per host", () => {
  it("gives the llm_base_url origin the LLM token as x-api-key and Bearer, and removes the placeholder", async () => {
    clearStubs();
    const connection = await connectTo(llmStub);
    expect(issuedBy(connection.peerCertificate, runtime.ca_certificate), "the LLM host is intercepted with an egress CA leaf").toBe(true);
    const placeholder = runtime.env.ANTHROPIC_API_KEY ?? "";
    const answer = await connection.request("/v1/messages", {
      body: JSON.stringify({ model: "claude", max_tokens: 8, messages: [] }),
      // The placeholder wherever a runtime might put it: the credential headers (overwritten) and any other (dropped).
      headers: { "content-type": "application/json", "x-api-key": placeholder, authorization: `Bearer ${placeholder}`, "x-runtime-key": placeholder },
    });
    expect(answer.status).toBe(200);
    const request = onlyRequest(llmStub);
    expect(request.headers["x-api-key"] === llmToken, "x-api-key is the LLM token").toBe(true);
    expect(request.headers.authorization === `Bearer ${llmToken}`, "Authorization is Bearer <LLM token>").toBe(true);
    expect(request.path).toBe("/v1/messages");
    expectNoneOf(llmStub, [headerToken, mcpBearerToken, mcpOauthToken, variableValue], "LLM host");
    for (const stub of [headerStub, mcpStub, variableStub, plainStub]) expect(stub.connections, `${stub.host} was dialled`).toBe(0);
  });

  it("gives a role=credential vault's target domain its header templates with {{token}} filled in, and nothing else", async () => {
    clearStubs();
    const connection = await connectTo(headerStub);
    expect(issuedBy(connection.peerCertificate, runtime.ca_certificate)).toBe(true);
    expect((await connection.request("/things")).status).toBe(200);
    const request = onlyRequest(headerStub);
    expect(request.headers["x-service-key"] === headerToken, "X-Service-Key is the vault's token").toBe(true);
    expect(request.headers["x-service-auth"] === `Token ${headerToken}`, "X-Service-Auth is its template filled in").toBe(true);
    expect(request.headers["x-api-key"], "no LLM credential on another host").toBeUndefined();
    expect(request.headers.authorization, "no bearer on a header-template host").toBeUndefined();
    expectNoneOf(headerStub, [llmToken, mcpBearerToken, mcpOauthToken, variableValue], "header host");
  });

  it("gives each MCP credential's token to its mcp_server_url path only: static_bearer, mcp_oauth, and nothing elsewhere on the host", async () => {
    clearStubs();
    const connection = await connectTo(mcpStub);
    expect(issuedBy(connection.peerCertificate, runtime.ca_certificate)).toBe(true);
    for (const path of ["/mcp", "/mcp/tools/list", "/oauth/mcp", "/other"]) {
      expect((await connection.request(path, { body: "{}", headers: { "content-type": "application/json" } })).status, path).toBe(200);
    }
    const byPath = new Map(mcpStub.requests.map((request) => [request.path, request.headers.authorization]));
    expect(byPath.size).toBe(4);
    expect(byPath.get("/mcp") === `Bearer ${mcpBearerToken}`, "/mcp has the static bearer").toBe(true);
    expect(byPath.get("/mcp/tools/list") === `Bearer ${mcpBearerToken}`, "below /mcp has the static bearer").toBe(true);
    expect(byPath.get("/oauth/mcp") === `Bearer ${mcpOauthToken}`, "/oauth/mcp has the OAuth access token").toBe(true);
    expect(byPath.get("/other"), "another path on the same host gets no credential").toBeUndefined();
    expectNoneOf(mcpStub, [llmToken, headerToken, variableValue], "MCP host");
  });

  it("replaces an environment variable's placeholder in headers and body for its allowed host only", async () => {
    clearStubs();
    const variablePlaceholder = runtime.env[SECRET_NAME] ?? "";
    const send = {
      body: JSON.stringify({ token: variablePlaceholder }),
      headers: { "content-type": "application/json", "x-service-token": variablePlaceholder },
    };

    const allowed = await connectTo(variableStub);
    expect(issuedBy(allowed.peerCertificate, runtime.ca_certificate)).toBe(true);
    expect((await allowed.request("/submit", send)).status).toBe(200);
    const injected = onlyRequest(variableStub);
    expect(injected.headers["x-service-token"] === variableValue, "the header placeholder became the value").toBe(true);
    expect(injected.body === JSON.stringify({ token: variableValue }), "the body placeholder became the value").toBe(true);
    expect(everythingReceived(variableStub.requests).includes(variablePlaceholder), "the variable placeholder reached its host").toBe(false);
    expectNoneOf(variableStub, [llmToken, headerToken, mcpBearerToken, mcpOauthToken], "variable host");

    // The LLM host is intercepted too, but the variable is not for it: its placeholder stays as sent.
    const elsewhere = await connectTo(llmStub);
    expect((await elsewhere.request("/v1/other", send)).status).toBe(200);
    const untouched = onlyRequest(llmStub);
    expect(untouched.headers["x-service-token"]).toBe(variablePlaceholder);
    expect(untouched.body).toBe(JSON.stringify({ token: variablePlaceholder }));
    expect(everythingReceived(llmStub.requests).includes(variableValue), "the variable's value reached a host it is not for").toBe(false);
  });
});

describe("hosts without credentials", () => {
  it("are tunnelled untouched: the client sees the host's own certificate, and no secret arrives", async () => {
    clearStubs();
    const upstreamCaPem = testUpstreamCa().certificatePem;
    const connection = await connectTo(plainStub, upstreamCaPem);
    expect(issuedBy(connection.peerCertificate, upstreamCaPem), "the host's own chain (the upstream test CA)").toBe(true);
    expect(issuedBy(connection.peerCertificate, runtime.ca_certificate), "not an egress CA leaf").toBe(false);
    const answer = await connection.request("/plain", { headers: { "x-runtime-header": "kept" } });
    expect(answer.status).toBe(200);
    const request = onlyRequest(plainStub);
    expect(request.headers["x-runtime-header"]).toBe("kept");
    expect(request.headers["x-api-key"]).toBeUndefined();
    expect(request.headers.authorization).toBeUndefined();
    expectNoneOf(plainStub, allSecrets, "tunnelled host");
  });
});

describe("echo masking", () => {
  it("masks the injected token when the upstream quotes it back in a header and in the body", async () => {
    clearStubs();
    llmStub.handle((request, response) => {
      const quoted = String(request.headers["x-api-key"] ?? "");
      const body = JSON.stringify({ type: "error", error: { type: "authentication_error", message: `invalid x-api-key: ${quoted}` } });
      response.writeHead(401, { "content-type": "application/json", "content-length": Buffer.byteLength(body), "x-echoed-key": quoted });
      response.end(body);
    });
    try {
      const connection = await connectTo(llmStub);
      const answer = await connection.request("/v1/messages", { body: "{}", headers: { "content-type": "application/json" } });
      expect(onlyRequest(llmStub).headers["x-api-key"] === llmToken, "the stub was sent the token it quotes").toBe(true);
      expect(answer.status).toBe(401);
      const everything = `${JSON.stringify(answer.headers)}\n${answer.body}`;
      expect(everything.includes(llmToken), "the token came back to the runtime").toBe(false);
      expect(everything.includes(SECRET_MARKER), "part of the token came back to the runtime").toBe(false);
      expect(answer.headers["x-echoed-key"]).toBe("*".repeat(llmToken.length));
      expect(answer.body).toContain(`invalid x-api-key: ${"*".repeat(llmToken.length)}`);
    } finally {
      llmStub.handle(answerOk);
    }
  });
});
