// A sandbox's side of the egress proxy (SPEC §7, egress mode), with raw Node clients so each test
// sees exactly what a runtime would: the proxy's CONNECT answer, the certificate it is shown, and the
// answers to several requests on one kept-alive intercepted connection.
import http, { type IncomingHttpHeaders } from "node:http";
import { X509Certificate } from "node:crypto";
import { isIP, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import tls, { type TLSSocket } from "node:tls";
import { performance } from "node:perf_hooks";
import { expect } from "vitest";

import { raw, redact, requiredEnv } from "./support";

/** `POST /v1/sessions/{id}/runtime` with `{"mode":"egress"}`. */
export interface EgressRuntime {
  type: "session_runtime";
  session_id: string;
  mode: "egress";
  ca_certificate: string;
  ca_bundle: string;
  env: Record<string, string>;
}

/** Where the proxy listens and the credentials the runtime's HTTPS_PROXY carries. */
export interface ProxyEndpoint {
  host: string;
  port: number;
  sessionId: string;
  placeholder: string;
  /** `Basic base64(session:placeholder)`, as curl and undici send HTTPS_PROXY's userinfo. */
  authorization: string;
}

/** The egress proxy of the suite's console (or of its second process). */
export function egressUrl(which: 1 | 2 = 1): string | null {
  const value = which === 1 ? requiredEnv("CONSOLE_TEST_EGRESS_URL") : process.env.CONSOLE_TEST_EGRESS_URL_2;
  return value ? value.replace(/\/+$/, "") : null;
}

export async function fetchEgressRuntime(sessionId: string, runtimeKey: string, baseURL?: string): Promise<EgressRuntime> {
  const response = await raw("POST", `/v1/sessions/${sessionId}/runtime`, { body: { mode: "egress" }, headers: { "x-api-key": runtimeKey }, baseURL });
  expect(response.status, `egress runtime settings: ${redact(response.text).slice(0, 300)}`).toBe(200);
  const runtime = response.json as EgressRuntime;
  expect(runtime.mode).toBe("egress");
  expect(runtime.ca_certificate).toContain("BEGIN CERTIFICATE");
  return runtime;
}

export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

/** The proxy named by the runtime's HTTPS_PROXY (HTTP_PROXY must be the same URL). */
export function proxyOf(runtime: EgressRuntime): ProxyEndpoint {
  const proxyUrl = runtime.env.HTTPS_PROXY ?? "";
  expect(runtime.env.HTTP_PROXY, "HTTP_PROXY is HTTPS_PROXY").toBe(proxyUrl);
  const url = new URL(proxyUrl);
  const sessionId = decodeURIComponent(url.username);
  const placeholder = decodeURIComponent(url.password);
  return { host: url.hostname, port: Number(url.port), sessionId, placeholder, authorization: basicAuthorization(sessionId, placeholder) };
}

export interface Target {
  host: string;
  port: number;
}

/** A refusal the proxy wrote instead of `200 Connection Established`. */
export interface ProxyAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** From sending CONNECT to the end of the answer. */
  elapsedMs: number;
}

type ConnectOutcome = { kind: "established"; socket: Socket } | { kind: "refused"; answer: ProxyAnswer };

/** Sends `CONNECT host:port` with the given Proxy-Authorization (none when null). */
export function connect(proxy: Pick<ProxyEndpoint, "host" | "port">, target: Target, proxyAuthorization: string | null): Promise<ConnectOutcome> {
  const started = performance.now();
  return new Promise((resolveOutcome, reject) => {
    const request = http.request({
      host: proxy.host,
      port: proxy.port,
      method: "CONNECT",
      path: `${target.host}:${target.port}`,
      headers: { host: `${target.host}:${target.port}`, ...(proxyAuthorization === null ? {} : { "proxy-authorization": proxyAuthorization }) },
      agent: false,
    });
    request.setTimeout(15_000, () => request.destroy(new Error(`CONNECT ${target.host}:${target.port} got no answer in 15 s`)));
    request.on("connect", (response, socket, head) => {
      if (response.statusCode === 200) {
        if (head.length > 0) socket.unshift(head);
        return resolveOutcome({ kind: "established", socket });
      }
      let body = head.toString("utf8");
      socket.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      socket.on("close", () =>
        resolveOutcome({
          kind: "refused",
          answer: { status: response.statusCode ?? 0, headers: response.headers, body, elapsedMs: performance.now() - started },
        }),
      );
    });
    request.on("error", reject);
    request.end();
  });
}

/** The proxy's refusal of a CONNECT; fails the test when it let the connection through. */
export async function refusedConnect(proxy: Pick<ProxyEndpoint, "host" | "port">, target: Target, proxyAuthorization: string | null): Promise<ProxyAnswer> {
  const outcome = await connect(proxy, target, proxyAuthorization);
  if (outcome.kind === "established") {
    outcome.socket.destroy();
    expect.fail(`the proxy established a connection to ${target.host}:${target.port}`);
  }
  return outcome.answer;
}

/** `{"type":"error","error":{type, message}}` of a refusal. */
export function errorOf(answer: { body: string }): { type: string; message: string } {
  const parsed = JSON.parse(answer.body) as { type?: string; error?: { type?: string; message?: string } };
  expect(parsed.type, `refusal body: ${redact(answer.body).slice(0, 300)}`).toBe("error");
  return { type: parsed.error?.type ?? "", message: parsed.error?.message ?? "" };
}

export interface ExchangeOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface Exchange {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** Whether this request went over a connection an earlier request of this client used. */
  reusedSocket: boolean;
}

/** Hands the agent the one TLS connection it was made for, and refuses to open another. */
class OneConnectionAgent extends http.Agent {
  private handedOut = false;

  constructor(private readonly secure: TLSSocket) {
    super({ keepAlive: true, maxSockets: 1 });
  }

  override createConnection(): Duplex {
    if (this.handedOut) throw new Error("the intercepted connection was closed; a new one would need a new CONNECT");
    this.handedOut = true;
    return this.secure;
  }
}

/** One TLS connection through the proxy, kept alive for several requests. */
export interface TunnelledConnection {
  /** The certificate the connection was shown (the egress CA's leaf, or the host's own). */
  peerCertificate: X509Certificate;
  request(path: string, options?: ExchangeOptions): Promise<Exchange>;
  close(): void;
}

/**
 * CONNECT, then TLS to `target` trusting only `ca` (the egress CA for an intercepted host, the
 * upstream test CA for a tunnelled one), as a runtime whose trust store holds that CA would.
 */
export async function openConnection(proxy: ProxyEndpoint, target: Target, ca: string): Promise<TunnelledConnection> {
  const outcome = await connect(proxy, target, proxy.authorization);
  if (outcome.kind === "refused") expect.fail(`CONNECT ${target.host}:${target.port} was refused: ${outcome.answer.status} ${redact(outcome.answer.body)}`);
  const secure = await new Promise<TLSSocket>((resolveSecure, reject) => {
    const socket = tls.connect({
      socket: outcome.socket,
      host: target.host,
      // SNI carries names only (RFC 6066); an IP literal is checked against the certificate's IP SAN.
      ...(isIP(target.host) ? {} : { servername: target.host }),
      ca,
      ALPNProtocols: ["http/1.1"],
    });
    socket.once("secureConnect", () => resolveSecure(socket));
    socket.once("error", reject);
  });
  const peer = secure.getPeerX509Certificate();
  if (!peer) expect.fail("the TLS connection showed no certificate");
  const agent = new OneConnectionAgent(secure);
  const authority = target.host.includes(":") ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
  return {
    peerCertificate: peer,
    request: (path, options = {}) =>
      new Promise((resolveExchange, reject) => {
        const request = http.request({
          host: target.host,
          port: target.port,
          path,
          method: options.method ?? (options.body === undefined ? "GET" : "POST"),
          headers: {
            host: authority,
            ...(options.body === undefined ? {} : { "content-length": String(Buffer.byteLength(options.body)) }),
            ...options.headers,
          },
          agent,
        });
        request.setTimeout(15_000, () => request.destroy(new Error(`${path} got no answer in 15 s`)));
        request.on("response", (response) => {
          let body = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => (body += chunk));
          response.on("end", () => resolveExchange({ status: response.statusCode ?? 0, headers: response.headers, body, reusedSocket: request.reusedSocket }));
          response.on("error", reject);
        });
        request.on("error", reject);
        request.end(options.body);
      }),
    close() {
      agent.destroy();
      secure.destroy();
    },
  };
}

/** Whether `certificate` was signed by the CA in `caPem`. */
export function issuedBy(certificate: X509Certificate, caPem: string): boolean {
  const ca = new X509Certificate(caPem);
  return certificate.checkIssued(ca) && certificate.verify(ca.publicKey);
}
