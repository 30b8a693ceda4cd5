// The egress proxy's per-vault policies (SPEC §7, egress mode), through the console's running proxy:
// a role=credential vault in `tls_mode: passthrough` is tunnelled untouched; a `{{token}}` template
// without a token refuses (fail-closed, the default) or forwards bare (fail-open); an mcp_oauth token
// about to expire is refreshed at its token endpoint before it is injected, once, and a refused
// refresh sends nothing upstream. Then the runtime settings' input checks, and a console without an
// egress proxy (CONSOLE_EGRESS_PORT=0).
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  RESERVED,
  client,
  createApiKey,
  createLlmVaultOn,
  createSession,
  createSessionPrerequisites,
  createVault,
  expectApiError,
  guardResponses,
  raw,
  redact,
  secret,
  setUpRuntimeEnvironment,
  unchecked,
} from "./support";
import { errorOf, fetchEgressRuntime, issuedBy, openConnection, proxyOf, type EgressRuntime, type Exchange, type TunnelledConnection } from "./egress-client";
import { answerOk, startHttpsStub, testUpstreamCa, type HttpsStub } from "./https-stub";
import { startOwnConsole, type OwnConsole } from "./own-console";
import { answerJson, everythingReceived } from "./stub-upstream";

guardResponses();

const anthropic = client();
const environment = setUpRuntimeEnvironment(anthropic, "egress policies");

/** One https stub a role, each on a loopback address of its own: a host of its own to the proxy. */
const HOSTS = { mcp: "127.0.0.1", llm: "127.0.0.2", passthrough: "127.0.0.3", failClosed: "127.0.0.4", failOpen: "127.0.0.5" } as const;
/** The refresh margin of lib/server/mcp-oauth-refresh.ts is a minute: this token is due at once. */
const EXPIRES_SOON_MS = 30_000;

let stub: Record<keyof typeof HOSTS, HttpsStub>;
/** The mcp_oauth credentials' token endpoint, on the MCP server's address. */
let tokenEndpoint: HttpsStub;

const passthroughToken = secret("egress-passthrough");
const staleAccessToken = secret("egress-oauth-stale");
const refreshToken = secret("egress-oauth-refresh");
const refreshedAccessToken = secret("egress-oauth-refreshed");
const rotatedRefreshToken = secret("egress-oauth-rotated");
const refusedAccessToken = secret("egress-oauth-refused");
const revokedRefreshToken = secret("egress-oauth-revoked");

let failClosedVaultId: string;
let refusedCredentialId: string;
let runtime: EgressRuntime;
const open: TunnelledConnection[] = [];

/** A role=credential vault sending `X-Policy-Key: <token>` to `host`, with extra reserved metadata. */
function headerVault(label: string, host: string, extra: Record<string, string> = {}) {
  return createVault(anthropic, label, {
    [`${RESERVED}role`]: "credential",
    [`${RESERVED}kind`]: "http_headers",
    [`${RESERVED}version`]: "1",
    [`${RESERVED}target_domains`]: host,
    [`${RESERVED}headers_json`]: JSON.stringify({ "X-Policy-Key": "{{token}}" }),
    ...extra,
  });
}

beforeAll(async () => {
  const started = await Promise.all(Object.entries(HOSTS).map(async ([role, host]) => [role, await startHttpsStub({ host, handler: answerOk })] as const));
  stub = Object.fromEntries(started) as Record<keyof typeof HOSTS, HttpsStub>;
  // RFC 6749 §6: the one refresh token it knows gets a new access token (and a rotated refresh token); any other is invalid_grant.
  tokenEndpoint = await startHttpsStub({
    host: HOSTS.mcp,
    handler: (request, response) => {
      const form = new URLSearchParams(request.body);
      if (request.path === "/token" && form.get("grant_type") === "refresh_token" && form.get("refresh_token") === refreshToken) {
        return answerJson(response, 200, { access_token: refreshedAccessToken, token_type: "Bearer", expires_in: 3600, refresh_token: rotatedRefreshToken });
      }
      return answerJson(response, 400, { error: "invalid_grant", error_description: "the refresh token was revoked" });
    },
  });

  const llm = await createLlmVaultOn(anthropic, "egress policies llm", stub.llm.origin);
  const passthrough = await headerVault("egress passthrough", HOSTS.passthrough, { [`${RESERVED}tls_mode`]: "passthrough" });
  // A token the vault would inject if it were not passthrough.
  await anthropic.beta.vaults.credentials.create(passthrough.id, { auth: unchecked({ type: "static_bearer", token: passthroughToken }) });
  const failClosed = await headerVault("egress fail-closed", HOSTS.failClosed);
  failClosedVaultId = failClosed.id;
  const failOpen = await headerVault("egress fail-open", HOSTS.failOpen, { [`${RESERVED}failure_policy`]: "fail-open" });
  const tools = await createVault(anthropic, "egress oauth");
  const expiresSoon = new Date(Date.now() + EXPIRES_SOON_MS).toISOString();
  const refreshSettings = (token: string) => ({
    client_id: "egress-policies-client",
    refresh_token: token,
    token_endpoint: `${tokenEndpoint.origin}/token`,
    token_endpoint_auth: { type: "none" },
  });
  await anthropic.beta.vaults.credentials.create(tools.id, {
    auth: unchecked({
      type: "mcp_oauth",
      access_token: staleAccessToken,
      mcp_server_url: `${stub.mcp.origin}/mcp`,
      expires_at: expiresSoon,
      refresh: refreshSettings(refreshToken),
    }),
  });
  const refused = await anthropic.beta.vaults.credentials.create(tools.id, {
    auth: unchecked({
      type: "mcp_oauth",
      access_token: refusedAccessToken,
      mcp_server_url: `${stub.mcp.origin}/refused/mcp`,
      expires_at: expiresSoon,
      refresh: refreshSettings(revokedRefreshToken),
    }),
  });
  refusedCredentialId = refused.id;
  const session = await createSession(anthropic, environment.prerequisites, {
    vault_ids: [llm.vault.id, passthrough.id, failClosed.id, failOpen.id, tools.id],
  });
  runtime = await fetchEgressRuntime(session.id, environment.runtimeKey.key);
});

afterAll(async () => {
  for (const connection of open) connection.close();
  await Promise.all([...Object.values(stub ?? {}), tokenEndpoint].filter(Boolean).map((each) => each.close()));
});

async function connectTo(target: HttpsStub, ca: string = runtime.ca_certificate): Promise<TunnelledConnection> {
  const connection = await openConnection(proxyOf(runtime), { host: target.host, port: target.port }, ca);
  open.push(connection);
  return connection;
}

/** A refusal of the proxy's own on an intercepted connection, which the runtime must not retry. */
function expectPermissionRefusal(answer: Exchange): string {
  expect(answer.status, `refusal: ${redact(answer.body).slice(0, 300)}`).toBe(403);
  expect(answer.headers["x-should-retry"]).toBe("false");
  const error = errorOf(answer);
  expect(error.type).toBe("permission_error");
  return error.message;
}

describe("a role=credential vault", () => {
  it("in tls_mode passthrough is tunnelled: the client sees the host's own certificate and no header is injected", async () => {
    stub.passthrough.clear();
    const upstreamCaPem = testUpstreamCa().certificatePem;
    const connection = await connectTo(stub.passthrough, upstreamCaPem);
    expect(issuedBy(connection.peerCertificate, upstreamCaPem), "the host's own chain (the upstream test CA)").toBe(true);
    expect(issuedBy(connection.peerCertificate, runtime.ca_certificate), "not an egress CA leaf").toBe(false);
    expect((await connection.request("/through")).status).toBe(200);
    expect(stub.passthrough.requests).toHaveLength(1);
    expect(stub.passthrough.requests[0]?.headers["x-policy-key"], "the vault's header").toBeUndefined();
    expect(everythingReceived(stub.passthrough.requests).includes(passthroughToken), "the vault's token reached a passthrough host").toBe(false);
  });

  it("fail-closed (the default) with {{token}} and no token: 403 naming the vault, nothing dialled", async () => {
    stub.failClosed.clear();
    const connection = await connectTo(stub.failClosed);
    expect(issuedBy(connection.peerCertificate, runtime.ca_certificate), "the host is intercepted").toBe(true);
    const message = expectPermissionRefusal(await connection.request("/guarded"));
    expect(message).toContain(failClosedVaultId);
    expect(message).toContain("fail-closed");
    expect(stub.failClosed.requests, "requests forwarded").toEqual([]);
    expect(stub.failClosed.connections, "connections the stub accepted").toBe(0);
  });

  it("fail-open with {{token}} and no token: forwarded without the header", async () => {
    stub.failOpen.clear();
    const connection = await connectTo(stub.failOpen);
    expect(issuedBy(connection.peerCertificate, runtime.ca_certificate), "the host is intercepted").toBe(true);
    expect((await connection.request("/open", { headers: { "x-runtime-header": "kept" } })).status).toBe(200);
    expect(stub.failOpen.requests).toHaveLength(1);
    const [request] = stub.failOpen.requests;
    expect(request?.headers["x-policy-key"], "a header with an empty {{token}}").toBeUndefined();
    expect(request?.headers["x-runtime-header"]).toBe("kept");
  });
});

describe("an mcp_oauth token about to expire", () => {
  it("is refreshed once at its token endpoint, and the MCP server gets the new token on this request and the next", async () => {
    tokenEndpoint.clear();
    stub.mcp.clear();
    const connection = await connectTo(stub.mcp);
    expect((await connection.request("/mcp", { body: "{}", headers: { "content-type": "application/json" } })).status).toBe(200);

    expect(tokenEndpoint.requests.map((request) => `${request.method} ${request.path}`)).toEqual(["POST /token"]);
    const form = new URLSearchParams(tokenEndpoint.requests[0]?.body);
    expect(form.get("grant_type")).toBe("refresh_token");
    expect(form.get("refresh_token") === refreshToken, "the stored refresh token was sent").toBe(true);
    expect(form.get("client_id")).toBe("egress-policies-client");
    expect(stub.mcp.requests[0]?.headers.authorization === `Bearer ${refreshedAccessToken}`, "the MCP server got the new token").toBe(true);

    const again = await connectTo(stub.mcp);
    expect((await again.request("/mcp/tools/list", { body: "{}", headers: { "content-type": "application/json" } })).status).toBe(200);
    expect(tokenEndpoint.requests, "refreshes: the new token is good for an hour").toHaveLength(1);
    expect(stub.mcp.requests).toHaveLength(2);
    expect(stub.mcp.requests[1]?.headers.authorization === `Bearer ${refreshedAccessToken}`, "the next request has the new token").toBe(true);
    expect(everythingReceived(stub.mcp.requests).includes(staleAccessToken), "the expiring token reached the MCP server").toBe(false);
  });

  it("whose refresh the token endpoint refuses: the request is refused, not to be retried, and the MCP server gets nothing", async () => {
    tokenEndpoint.clear();
    stub.mcp.clear();
    const connection = await connectTo(stub.mcp);
    const message = expectPermissionRefusal(await connection.request("/refused/mcp", { body: "{}", headers: { "content-type": "application/json" } }));
    expect(message).toContain(refusedCredentialId);
    expect(message).toContain("invalid_grant");
    expect(tokenEndpoint.requests, "refresh attempts").toHaveLength(1);
    expect(new URLSearchParams(tokenEndpoint.requests[0]?.body).get("grant_type")).toBe("refresh_token");
    expect(stub.mcp.requests, "requests the MCP server received").toEqual([]);
    expect(message.includes(revokedRefreshToken) || message.includes(refusedAccessToken), "the refusal quotes a secret").toBe(false);
  });
});

describe("POST /v1/sessions/{id}/runtime input", () => {
  let sessionId: string;

  beforeAll(async () => {
    const llm = await createLlmVaultOn(anthropic, "egress runtime input", stub.llm.origin);
    sessionId = (await createSession(anthropic, environment.prerequisites, { vault_ids: [llm.vault.id] })).id;
  });

  const post = (body: unknown) => raw("POST", `/v1/sessions/${sessionId}/runtime`, { body, headers: { "x-api-key": environment.runtimeKey.key } });

  it.each([
    ["an unknown mode", { mode: "foo" }, "mode"],
    ["a relative ca_path", { mode: "egress", ca_path: "relative/x.pem" }, "ca_path"],
    ["a ca_path in boundary mode", { mode: "boundary", ca_path: "/tmp/x" }, "ca_path"],
    ["an unknown field", { mode: "egress", proxy_port: 8080 }, "proxy_port"],
  ])("refuses %s with 400 naming the field", async (_label, body, field) => {
    await expectApiError(await post(body), 400, "invalid_request_error", field);
  });

  it("points the four CA variables at the ca_path asked for", async () => {
    const response = await post({ mode: "egress", ca_path: "/opt/ca.pem" });
    expect(response.status, redact(response.text).slice(0, 300)).toBe(200);
    const settings = response.json as EgressRuntime;
    for (const name of ["NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "GIT_SSL_CAINFO"]) expect(settings.env[name], name).toBe("/opt/ca.pem");
  });
});

describe("a console without an egress proxy (CONSOLE_EGRESS_PORT=0)", () => {
  let own: OwnConsole | undefined;
  let sessionId: string;
  let runtimeKey: string;

  beforeAll(async () => {
    own = await startOwnConsole({ CONSOLE_EGRESS_PORT: "0" });
    // Its own owner key on a database of its own; the suite's (client()'s default) on the shared one.
    const ownerKey = own.ownerKey ?? undefined;
    const ownApi = client({ baseURL: own.url, apiKey: ownerKey });
    const prerequisites = await createSessionPrerequisites(ownApi, "egress disabled");
    const llm = await createLlmVaultOn(ownApi, "egress disabled", stub.llm.origin);
    sessionId = (await createSession(ownApi, prerequisites, { vault_ids: [llm.vault.id] })).id;
    runtimeKey = (await createApiKey("runtime", { baseURL: own.url, ownerKey, scope: { environment_id: prerequisites.environment.id } })).key;
  }, 180_000);

  afterAll(async () => {
    await own?.stop();
  });

  const post = (body: unknown) => raw("POST", `/v1/sessions/${sessionId}/runtime`, { body, headers: { "x-api-key": runtimeKey }, baseURL: own?.url });

  it("answers egress mode with 409 egress_disabled naming CONSOLE_EGRESS_PORT, and still serves boundary mode", async () => {
    const refused = await post({ mode: "egress" });
    await expectApiError(refused, 409, "conflict_error", "CONSOLE_EGRESS_PORT");
    expect((refused.json as { error: { details?: { error_code?: string } } }).error.details?.error_code).toBe("egress_disabled");
    const boundary = await post({ mode: "boundary" });
    expect(boundary.status, redact(boundary.text).slice(0, 300)).toBe(200);
    expect((boundary.json as { mode: string; ca_certificate: unknown }).mode).toBe("boundary");
    expect((boundary.json as { ca_certificate: unknown }).ca_certificate).toBeNull();
  });
});
