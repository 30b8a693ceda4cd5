// What the egress proxy refuses (SPEC §7, egress mode), through the console's running proxy: proxy
// credentials that name no live placeholder (407, nothing dialled), hosts a `limited` environment
// does not allow (403 before any DNS lookup, nothing dialled), and credentials or sessions that
// change under a kept-alive intercepted connection (the next request sees the change). On
// PostgreSQL, the two console processes' proxies sign with one CA kept in the database.
import { X509Certificate, randomBytes } from "node:crypto";
import http from "node:http";
import { performance } from "node:perf_hooks";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  client,
  createApiKey,
  createAgent,
  createLlmVaultOn,
  createSession,
  guardResponses,
  redact,
  secondBaseUrl,
  secret,
  uniqueName,
  type SessionPrerequisites,
} from "./support";
import {
  basicAuthorization,
  connect,
  egressUrl,
  errorOf,
  fetchEgressRuntime,
  issuedBy,
  openConnection,
  proxyOf,
  refusedConnect,
  type EgressRuntime,
  type ProxyAnswer,
  type ProxyEndpoint,
  type TunnelledConnection,
} from "./egress-client";
import { answerOk, startHttpsStub, testUpstreamCa, type HttpsStub } from "./https-stub";
import { everythingReceived } from "./stub-upstream";

guardResponses();

const anthropic = client();

const LLM_HOST = "127.0.0.2";
const UNLISTED_HOST = "127.0.0.4";
const ALLOWED_HOST = "127.0.0.1";
/** `.invalid` never resolves (RFC 2606): a 403 naming the environment shows no lookup came first. */
const UNRESOLVABLE_HOST = "not-allowed.invalid";
/** A policy refusal is a lookup in memory; a DNS round trip (even a failing one) would show. */
const QUICK_REFUSAL_MS = 1_000;

let llmStub: HttpsStub;
let unlistedStub: HttpsStub;
let allowedStub: HttpsStub;
const open: TunnelledConnection[] = [];

/** An environment (unrestricted, or limited to `allowedHosts`), an agent and a runtime key for it. */
async function runtimeEnvironment(label: string, allowedHosts?: string[]): Promise<{ prerequisites: SessionPrerequisites; runtimeKey: string }> {
  const environment = await anthropic.beta.environments.create({
    name: uniqueName(label),
    config: { type: "cloud", networking: allowedHosts ? { type: "limited", allowed_hosts: allowedHosts } : { type: "unrestricted" } },
  });
  const agent = await createAgent(anthropic, label);
  const runtimeKey = await createApiKey("runtime", { scope: { environment_id: environment.id } });
  return { prerequisites: { agent, environment }, runtimeKey: runtimeKey.key };
}

let unrestricted: { prerequisites: SessionPrerequisites; runtimeKey: string };

interface EgressSession {
  sessionId: string;
  vaultId: string;
  credentialId: string;
  token: string;
  runtime: EgressRuntime;
  proxy: ProxyEndpoint;
}

/** A session whose LLM vault points at the LLM stub, with its egress runtime settings. */
async function egressSession(label: string, where = unrestricted): Promise<EgressSession> {
  const llm = await createLlmVaultOn(anthropic, label, llmStub.origin, secret(label));
  const session = await createSession(anthropic, where.prerequisites, { vault_ids: [llm.vault.id] });
  const runtime = await fetchEgressRuntime(session.id, where.runtimeKey);
  return { sessionId: session.id, vaultId: llm.vault.id, credentialId: llm.credentialId, token: llm.token, runtime, proxy: proxyOf(runtime) };
}

beforeAll(async () => {
  [llmStub, unlistedStub, allowedStub] = await Promise.all([
    startHttpsStub({ host: LLM_HOST, handler: answerOk }),
    startHttpsStub({ host: UNLISTED_HOST, handler: answerOk }),
    startHttpsStub({ host: ALLOWED_HOST, handler: answerOk }),
  ]);
  unrestricted = await runtimeEnvironment("egress refusals");
});

afterAll(async () => {
  for (const connection of open) connection.close();
  await Promise.all([llmStub, unlistedStub, allowedStub].filter(Boolean).map((stub) => stub.close()));
});

async function intercepted(session: EgressSession): Promise<TunnelledConnection> {
  const connection = await openConnection(session.proxy, { host: llmStub.host, port: llmStub.port }, session.runtime.ca_certificate);
  open.push(connection);
  return connection;
}

function llmTarget() {
  return { host: llmStub.host, port: llmStub.port };
}

/** A refusal the runtime's SDK must not retry. */
function expectRefusal(answer: Pick<ProxyAnswer, "status" | "headers" | "body">, status: number, type: string): string {
  expect(answer.status, `refusal: ${redact(answer.body).slice(0, 300)}`).toBe(status);
  expect(answer.headers["x-should-retry"]).toBe("false");
  const error = errorOf(answer);
  expect(error.type).toBe(type);
  return error.message;
}

describe("proxy credentials", () => {
  it("answers 407 with Proxy-Authenticate and dials nothing for missing, malformed, another session's or revoked credentials", async () => {
    const first = await egressSession("egress-407-a");
    const second = await egressSession("egress-407-b");
    const revoked = first.proxy.placeholder;
    const current = proxyOf(await fetchEgressRuntime(first.sessionId, unrestricted.runtimeKey));
    expect(current.placeholder).not.toBe(revoked);
    llmStub.clear();

    const cases: Array<[string, string | null]> = [
      ["no Proxy-Authorization", null],
      ["a Basic value that is not base64", "Basic !!!not-base64!!!"],
      ["the placeholder as a Bearer token", `Bearer ${current.placeholder}`],
      ["Basic without a user", `Basic ${Buffer.from(current.placeholder).toString("base64")}`],
      ["a placeholder of the right shape that was never issued", basicAuthorization(first.sessionId, `s0rt_${randomBytes(32).toString("base64url")}`)],
      ["another session's id with this session's placeholder", basicAuthorization(second.sessionId, current.placeholder)],
      ["this session's id with another session's placeholder", basicAuthorization(first.sessionId, second.proxy.placeholder)],
      ["the placeholder a later fetch of the settings revoked", basicAuthorization(first.sessionId, revoked)],
    ];
    for (const [label, authorization] of cases) {
      const answer = await refusedConnect(current, llmTarget(), authorization);
      expect(answer.status, label).toBe(407);
      expect(answer.headers["proxy-authenticate"], label).toMatch(/^Basic realm=/);
      expectRefusal(answer, 407, "authentication_error");
      expect(answer.body.includes(current.placeholder), `${label}: the answer quotes the placeholder`).toBe(false);
    }
    // HTTP_PROXY's absolute-form requests are held to the same credentials.
    for (const authorization of [null, basicAuthorization(first.sessionId, revoked)]) {
      const answer = await absoluteFormRequest(current, `http://${llmStub.host}:${llmStub.port}/v1/models`, authorization);
      expect(answer.headers["proxy-authenticate"]).toMatch(/^Basic realm=/);
      expectRefusal(answer, 407, "authentication_error");
    }
    expect(llmStub.connections, "connections the stub accepted").toBe(0);

    // The live placeholder gets through, so the refusals above were about the credentials alone.
    const connection = await openConnection(current, llmTarget(), first.runtime.ca_certificate);
    open.push(connection);
    expect((await connection.request("/v1/models")).status).toBe(200);
    expect(llmStub.requests[0]?.headers["x-api-key"] === first.token, "the live placeholder's request carries the token").toBe(true);
  });
});

describe("a limited environment", () => {
  let limited: { prerequisites: SessionPrerequisites; runtimeKey: string };
  let session: EgressSession;

  beforeAll(async () => {
    limited = await runtimeEnvironment("egress limited", [ALLOWED_HOST]);
    session = await egressSession("egress-limited", limited);
  });

  it("refuses a host outside allowed_hosts with 403 naming the host and the environment, before any DNS lookup", async () => {
    const answer = await refusedConnect(session.proxy, { host: UNRESOLVABLE_HOST, port: 443 }, session.proxy.authorization);
    const message = expectRefusal(answer, 403, "permission_error");
    expect(message).toContain(UNRESOLVABLE_HOST);
    expect(message).toContain(limited.prerequisites.environment.id);
    expect(message).toMatch(/allowed_hosts/);
    expect(answer.elapsedMs, "a refusal decided before any lookup is immediate").toBeLessThan(QUICK_REFUSAL_MS);
  });

  it("refuses a listening host outside allowed_hosts without connecting to it, over CONNECT and in absolute form", async () => {
    unlistedStub.clear();
    const answer = await refusedConnect(session.proxy, { host: unlistedStub.host, port: unlistedStub.port }, session.proxy.authorization);
    const message = expectRefusal(answer, 403, "permission_error");
    expect(message).toContain(UNLISTED_HOST);
    expect(message).toContain(limited.prerequisites.environment.id);

    const plain = await absoluteFormRequest(session.proxy, `http://${UNRESOLVABLE_HOST}/path`);
    expect(expectRefusal(plain, 403, "permission_error")).toContain(UNRESOLVABLE_HOST);
    expect(unlistedStub.connections, "connections the unlisted stub accepted").toBe(0);
  });

  it("lets through its allowed_hosts (tunnelled) and the hosts its credentials are for (intercepted)", async () => {
    const upstreamCaPem = testUpstreamCa().certificatePem;
    const tunnelled = await openConnection(session.proxy, { host: allowedStub.host, port: allowedStub.port }, upstreamCaPem);
    open.push(tunnelled);
    expect(issuedBy(tunnelled.peerCertificate, upstreamCaPem)).toBe(true);
    expect((await tunnelled.request("/allowed")).status).toBe(200);
    const withCredential = await intercepted(session);
    expect(issuedBy(withCredential.peerCertificate, session.runtime.ca_certificate)).toBe(true);
    expect((await withCredential.request("/v1/models")).status).toBe(200);
  });
});

/** An absolute-form request through the proxy (what HTTP_PROXY does for http:// URLs). */
function absoluteFormRequest(proxy: ProxyEndpoint, url: string, proxyAuthorization: string | null = proxy.authorization): Promise<ProxyAnswer> {
  const started = performance.now();
  return new Promise((resolveAnswer, reject) => {
    const request = http.request({
      host: proxy.host,
      port: proxy.port,
      path: url,
      headers: proxyAuthorization === null ? {} : { "proxy-authorization": proxyAuthorization },
      agent: false,
    });
    request.on("response", (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolveAnswer({ status: response.statusCode ?? 0, headers: response.headers, body, elapsedMs: performance.now() - started }));
    });
    request.on("error", reject);
    request.end();
  });
}

/**
 * A new connection's attempt to reach the LLM host after its credential went away: refused at
 * CONNECT, or (a tunnel) failing or succeeding TLS against either CA, whatever the proxy chose,
 * the stub must see no token. Returns the CONNECT refusal, if there was one.
 */
async function attemptAfterwards(session: EgressSession): Promise<ProxyAnswer | null> {
  const outcome = await connect(session.proxy, llmTarget(), session.proxy.authorization);
  if (outcome.kind === "refused") return outcome.answer;
  const upstreamCaPem = testUpstreamCa().certificatePem;
  await new Promise<void>((done) => {
    const secure = tls.connect({ socket: outcome.socket, host: llmStub.host, ca: [session.runtime.ca_certificate, upstreamCaPem] });
    secure.once("error", () => done());
    secure.once("secureConnect", () => {
      secure.end(`GET /v1/models HTTP/1.1\r\nhost: ${llmStub.host}:${llmStub.port}\r\nx-api-key: ${session.proxy.placeholder}\r\nconnection: close\r\n\r\n`);
      secure.resume();
      secure.once("close", () => done());
    });
  });
  return null;
}

describe("changes apply on the next request", () => {
  it("a rotated LLM token: the next request on the same kept-alive connection, and on a new one, carries the new token", async () => {
    const session = await egressSession("egress-rotate");
    llmStub.clear();
    const connection = await intercepted(session);
    expect((await connection.request("/v1/models")).status).toBe(200);
    const rotated = secret("egress-rotated");
    await anthropic.beta.vaults.credentials.update(session.credentialId, { vault_id: session.vaultId, auth: { type: "static_bearer", token: rotated } });

    const again = await connection.request("/v1/models");
    expect(again.reusedSocket, "the second request went over the same connection").toBe(true);
    expect(again.status).toBe(200);
    const fresh = await intercepted(session);
    expect((await fresh.request("/v1/models")).status).toBe(200);

    expect(llmStub.requests).toHaveLength(3);
    const [before, sameConnection, newConnection] = llmStub.requests;
    expect(before?.headers["x-api-key"] === session.token, "before: the old token").toBe(true);
    expect(sameConnection?.headers["x-api-key"] === rotated, "same connection: the new token").toBe(true);
    expect(sameConnection?.headers.authorization === `Bearer ${rotated}`, "same connection: Bearer the new token").toBe(true);
    expect(newConnection?.headers["x-api-key"] === rotated, "new connection: the new token").toBe(true);
    expect(JSON.stringify(llmStub.requests.slice(1)).includes(session.token), "the old token after the rotation").toBe(false);
  });

  it("an archived LLM credential: the next request on the same connection is refused and reaches nothing; a new connection gets no token", async () => {
    const session = await egressSession("egress-archive-credential");
    llmStub.clear();
    const connection = await intercepted(session);
    expect((await connection.request("/v1/models")).status).toBe(200);
    await anthropic.beta.vaults.credentials.archive(session.credentialId, { vault_id: session.vaultId });
    llmStub.clear();

    const refused = await connection.request("/v1/models");
    expect(refused.status, `after the archive: ${redact(refused.body).slice(0, 300)}`).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect(refused.headers["x-should-retry"]).toBe("false");
    expect(llmStub.requests, "requests forwarded after the archive").toEqual([]);

    const connectRefusal = await attemptAfterwards(session);
    if (connectRefusal) expect(connectRefusal.headers["x-should-retry"]).toBe("false");
    expect(everythingReceived(llmStub.requests).includes(session.token), "the archived token reached the upstream").toBe(false);
  });

  it("an archived session: the next request on the same connection is refused, and a new CONNECT gets 407", async () => {
    const session = await egressSession("egress-archive-session");
    llmStub.clear();
    const connection = await intercepted(session);
    expect((await connection.request("/v1/models")).status).toBe(200);
    await anthropic.beta.sessions.archive(session.sessionId);
    llmStub.clear();

    const refused = await connection.request("/v1/models");
    expect(refused.status, `after the archive: ${redact(refused.body).slice(0, 300)}`).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect(refused.headers["x-should-retry"]).toBe("false");
    const answer = await refusedConnect(session.proxy, llmTarget(), session.proxy.authorization);
    expectRefusal(answer, 407, "authentication_error");
    expect(llmStub.requests, "requests forwarded after the archive").toEqual([]);
    expect(llmStub.connections, "connections after the archive").toBe(0);
  });
});

describe("two console processes", () => {
  const second = egressUrl(2);

  it.skipIf(!second)("present leaves of one CA, kept in the shared database", async () => {
    const session = await egressSession("egress-two-processes");
    const secondConsole = secondBaseUrl();
    if (!secondConsole || !second) throw new Error("unreachable: skipped without a second process");
    // Settings from the second process: its proxy, the same CA, and the one live placeholder.
    const fromSecond = await fetchEgressRuntime(session.sessionId, unrestricted.runtimeKey, secondConsole);
    const secondProxy = proxyOf(fromSecond);
    expect(`http://${secondProxy.host}:${secondProxy.port}`).toBe(second);
    expect(new X509Certificate(fromSecond.ca_certificate).fingerprint256).toBe(new X509Certificate(session.runtime.ca_certificate).fingerprint256);

    // Both proxies accept the placeholder either console issued, and each shows a leaf of that CA.
    const firstProxy = { ...secondProxy, host: session.proxy.host, port: session.proxy.port };
    const leaves: X509Certificate[] = [];
    for (const proxy of [firstProxy, secondProxy]) {
      const connection = await openConnection(proxy, llmTarget(), session.runtime.ca_certificate);
      open.push(connection);
      expect((await connection.request("/v1/models")).status).toBe(200);
      leaves.push(connection.peerCertificate);
    }
    const [fromFirstProxy, fromSecondProxy] = leaves;
    if (!fromFirstProxy || !fromSecondProxy) throw new Error("unreachable");
    expect(issuedBy(fromFirstProxy, fromSecond.ca_certificate), "the first proxy's leaf is of the shared CA").toBe(true);
    expect(issuedBy(fromSecondProxy, session.runtime.ca_certificate), "the second proxy's leaf is of the shared CA").toBe(true);
    expect(fromFirstProxy.issuer).toBe(fromSecondProxy.issuer);
  });
});
