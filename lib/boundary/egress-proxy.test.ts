import http, { type IncomingHttpHeaders } from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import tls from "node:tls";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createEgressCa, EgressCertificateAuthority } from "@/lib/boundary/egress-ca";
import { createEgressProxy, type EgressGrant, type EgressProxy, type EgressRoute } from "@/lib/boundary/egress-proxy";
import { hostMatches } from "@/lib/boundary/host-patterns";
import type { Resolver } from "@/lib/boundary/upstream-request";

// Every connection stays on loopback: the stub resolver answers 127.0.0.1 for the test names, and
// counts lookups so a refusal can be shown to have happened before any.

const TOKEN = "sk-ant-real-CANARYSECRET-token";
const PLACEHOLDER = "s0rt_placeholder_for_the_test_session_0000000";
const SESSION = "sesn_egress";

let egressAuthority: EgressCertificateAuthority;
let upstreamAuthority: EgressCertificateAuthority;
let upstream: https.Server;
let upstreamPort: number;
let proxy: EgressProxy;
let proxyPort: number;
let lookups: string[];
let seen: Array<{ host: string | undefined; path: string | undefined; headers: IncomingHttpHeaders }>;
let grant: EgressGrant;

const resolve: Resolver = async (hostname) => {
  lookups.push(hostname);
  return [{ address: "127.0.0.1", family: 4 }];
};

function listen(server: http.Server | https.Server): Promise<number> {
  return new Promise((resolveListen) => server.listen(0, "127.0.0.1", () => resolveListen((server.address() as AddressInfo).port)));
}

beforeAll(async () => {
  egressAuthority = await EgressCertificateAuthority.load(await createEgressCa("Egress test CA"));
  upstreamAuthority = await EgressCertificateAuthority.load(await createEgressCa("Upstream test CA"));
  const leaf = await upstreamAuthority.leafFor("api.stub.test");
  upstream = https.createServer({ cert: leaf.certificatePem, key: leaf.privateKeyPem }, (request, response) => {
    seen.push({ host: request.headers.host, path: request.url, headers: request.headers });
    // Quotes the key it was sent, as some error bodies do: the proxy must mask it.
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ ok: true, received: request.headers["x-api-key"] ?? null }));
  });
  upstreamPort = await listen(upstream);
  proxy = createEgressProxy({
    authenticate: async (sessionId, placeholder) => (sessionId === SESSION && placeholder === PLACEHOLDER ? grant : null),
    authority: async () => egressAuthority,
    privateEndpoints: new Set(["api.stub.test", "plain.stub.test"]),
    resolve,
    upstreamCa: upstreamAuthority.certificatePem,
  });
  proxyPort = await listen(proxy.server);
});

afterAll(async () => {
  await proxy.close();
  upstream.closeAllConnections();
  await new Promise((done) => upstream.close(done));
});

beforeEach(() => {
  lookups = [];
  seen = [];
  grant = {
    sessionId: SESSION,
    environmentId: "env_limited",
    allowedHosts: [],
    placeholder: PLACEHOLDER,
    routes: [llmRoute()],
  };
});

function llmRoute(overrides: Partial<EgressRoute> = {}): EgressRoute {
  return {
    host: "api.stub.test",
    protocols: ["https:"],
    port: upstreamPort,
    pathPrefix: "/",
    intercept: true,
    widens: true,
    label: "LLM vault vlt_test",
    open: async () => ({ ok: true, headers: { "x-api-key": TOKEN, authorization: `Bearer ${TOKEN}` }, replacements: [], secrets: [TOKEN] }),
    ...overrides,
  };
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

interface Answer {
  status: number;
  body: string;
  issuer?: string;
}

/** CONNECT through the proxy, then one HTTPS request over the tunnel, trusting `ca` only. */
function viaProxy(options: { host: string; port: number; proxyAuthorization?: string; ca: string; headers?: Record<string, string> }): Promise<Answer> {
  return new Promise((resolveAnswer, reject) => {
    const connect = http.request({
      host: "127.0.0.1",
      port: proxyPort,
      method: "CONNECT",
      path: `${options.host}:${options.port}`,
      headers: options.proxyAuthorization ? { "proxy-authorization": options.proxyAuthorization } : {},
    });
    connect.on("connect", (response, socket, head) => {
      if (response.statusCode !== 200) {
        let body = head.toString();
        socket.on("data", (chunk: Buffer) => (body += chunk.toString()));
        socket.on("end", () => resolveAnswer({ status: response.statusCode ?? 0, body }));
        return;
      }
      const secure = tls.connect({ socket, servername: options.host, ca: options.ca, ALPNProtocols: ["http/1.1"] });
      secure.on("error", reject);
      // Plain http.request over the TLS socket already made: the tunnel carries the TLS.
      const request = http.request({
        host: options.host,
        port: options.port,
        path: "/v1/messages",
        method: "POST",
        headers: { "content-type": "application/json", ...options.headers },
        createConnection: () => secure,
      });
      request.on("response", (answer) => {
        let body = "";
        answer.on("data", (chunk: Buffer) => (body += chunk.toString()));
        answer.on("end", () => {
          resolveAnswer({ status: answer.statusCode ?? 0, body, issuer: secure.getPeerX509Certificate()?.issuer });
          secure.destroy();
        });
      });
      request.on("error", reject);
      request.end("{}");
    });
    connect.on("error", reject);
    connect.end();
  });
}

describe("egress proxy", () => {
  it("answers 407 without proxy credentials, or with credentials of no live placeholder, and dials nothing", async () => {
    const missing = await viaProxy({ host: "api.stub.test", port: upstreamPort, ca: egressAuthority.certificatePem });
    const wrong = await viaProxy({
      host: "api.stub.test",
      port: upstreamPort,
      proxyAuthorization: basic(SESSION, "s0rt_wrong"),
      ca: egressAuthority.certificatePem,
    });
    expect(missing.status).toBe(407);
    expect(JSON.parse(missing.body).error.message).toMatch(/HTTPS_PROXY/);
    expect(wrong.status).toBe(407);
    expect(lookups).toEqual([]);
    expect(seen).toEqual([]);
  });

  it("injects the credential for its own host, removes the placeholder, and masks the token in the answer", async () => {
    const answer = await viaProxy({
      host: "api.stub.test",
      port: upstreamPort,
      proxyAuthorization: basic(SESSION, PLACEHOLDER),
      ca: egressAuthority.certificatePem,
      // The placeholder wherever the runtime put it: x-api-key (overwritten) and any other header (dropped).
      headers: { "x-api-key": PLACEHOLDER, "x-forwarded-key": `Bearer ${PLACEHOLDER}` },
    });
    expect(answer.status).toBe(200);
    expect(answer.issuer).toContain("Egress test CA");
    expect(seen).toHaveLength(1);
    expect(seen[0]?.headers["x-api-key"]).toBe(TOKEN);
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.stringify(seen[0]?.headers)).not.toContain(PLACEHOLDER);
    expect(answer.body).not.toContain(TOKEN);
    expect(JSON.parse(answer.body).received).toBe("*".repeat(TOKEN.length));
  });

  it("refuses a host outside a limited environment before any lookup", async () => {
    const answer = await viaProxy({
      host: "elsewhere.stub.test",
      port: 443,
      proxyAuthorization: basic(SESSION, PLACEHOLDER),
      ca: egressAuthority.certificatePem,
    });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).error.message).toMatch(/elsewhere\.stub\.test.*env_limited.*allowed_hosts/);
    expect(lookups).toEqual([]);
  });

  it("refuses a loopback address that is not allow-listed, even in an unrestricted environment", async () => {
    grant = { ...grant, allowedHosts: null };
    const answer = await viaProxy({
      host: "127.0.0.1",
      port: upstreamPort,
      proxyAuthorization: basic(SESSION, PLACEHOLDER),
      ca: egressAuthority.certificatePem,
    });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).error.message).toMatch(/loopback/);
    expect(seen).toEqual([]);
  });

  it("tunnels a host with nothing to inject untouched: the runtime sees the host's own certificate and its own headers", async () => {
    grant = { ...grant, allowedHosts: ["api.stub.test"], routes: [] };
    const answer = await viaProxy({
      host: "api.stub.test",
      port: upstreamPort,
      proxyAuthorization: basic(SESSION, PLACEHOLDER),
      ca: upstreamAuthority.certificatePem,
      headers: { "x-api-key": "the-runtime's-own-key" },
    });
    expect(answer.status).toBe(200);
    expect(answer.issuer).toContain("Upstream test CA");
    expect(seen[0]?.headers["x-api-key"]).toBe("the-runtime's-own-key");
    expect(lookups).toEqual(["api.stub.test"]);
  });

  it("forwards plain http in absolute form without credentials for hosts that have none", async () => {
    const plain = http.createServer((request, response) => response.end(`plain ${request.url} ${request.headers["proxy-authorization"] ?? "no proxy auth"}`));
    const plainPort = await listen(plain);
    grant = { ...grant, allowedHosts: ["plain.stub.test"] };
    const body = await new Promise<string>((resolveBody, reject) => {
      const request = http.request({
        host: "127.0.0.1",
        port: proxyPort,
        path: `http://plain.stub.test:${plainPort}/hello`,
        headers: { "proxy-authorization": basic(SESSION, PLACEHOLDER) },
      });
      request.on("response", (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => (text += chunk.toString()));
        response.on("end", () => resolveBody(text));
      });
      request.on("error", reject);
      request.end();
    });
    plain.close();
    expect(body).toBe("plain /hello no proxy auth");
  });
  it("replaces an environment variable's placeholder in headers and body for its hosts, and refuses a fail-closed route", async () => {
    const variable = "s0ev_variable_placeholder";
    const value = "env-value-CANARYSECRET";
    grant = {
      ...grant,
      routes: [
        llmRoute(),
        llmRoute({
          host: "*.stub.test",
          port: null,
          widens: false,
          label: "environment variable",
          open: async () => ({ ok: true, headers: {}, replacements: [{ placeholder: variable, value, inHeaders: true, inBody: false }], secrets: [value] }),
        }),
      ],
    };
    const answer = await viaProxy({
      host: "api.stub.test",
      port: upstreamPort,
      proxyAuthorization: basic(SESSION, PLACEHOLDER),
      ca: egressAuthority.certificatePem,
      headers: { "x-custom": `key ${variable}` },
    });
    expect(answer.status).toBe(200);
    expect(seen[0]?.headers["x-custom"]).toBe(`key ${value}`);

    grant = { ...grant, routes: [llmRoute({ open: async () => ({ ok: false, problem: "the vault holds no token" }) })] };
    const refused = await viaProxy({
      host: "api.stub.test",
      port: upstreamPort,
      proxyAuthorization: basic(SESSION, PLACEHOLDER),
      ca: egressAuthority.certificatePem,
    });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).error.message).toBe("the vault holds no token");
    expect(seen).toHaveLength(1);
  });

  it("matches host patterns: exact names, *. subdomains (not the bare domain), and *", () => {
    expect(hostMatches("api.example.com", "api.example.com")).toBe(true);
    expect(hostMatches("api.example.com", "x.api.example.com")).toBe(false);
    expect(hostMatches("*.example.org", "a.example.org")).toBe(true);
    expect(hostMatches("*.example.org", "a.b.example.org")).toBe(true);
    expect(hostMatches("*.example.org", "example.org")).toBe(false);
    expect(hostMatches("*.example.org", "badexample.org")).toBe(false);
    expect(hostMatches("*", "anything.test")).toBe(true);
  });
});
