import http, { type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from "node:http";
import https from "node:https";
import net, { type Socket } from "node:net";
import tls from "node:tls";
import type { Duplex } from "node:stream";
import type { EgressCertificateAuthority } from "@/lib/boundary/egress-ca";
import { destinationRefusal, type PrivateEndpoints } from "@/lib/boundary/endpoint-policy";
import { EndpointRefusedError, guardedLookup, openUpstreamRequest, type Resolver } from "@/lib/boundary/upstream-request";
import { SecretMasker } from "@/lib/boundary/secret-masker";

/**
 * The egress proxy: the second front door of the runtime side. A sandbox points HTTPS_PROXY and
 * HTTP_PROXY here with its session id and placeholder as proxy credentials, keeps the real URLs,
 * and trusts the console's egress CA. For each destination the session's grant decides, before any
 * DNS lookup: refused (403), tunnelled untouched (no credential applies, so certificates and pinning
 * stay the host's own), or intercepted (TLS terminated with a leaf of the egress CA, the request's
 * placeholder removed and the credential for that host injected, the upstream verified as usual).
 */

/** A credential to add to requests for one origin (and path prefix): header values hold secrets. */
export interface EgressInjection {
  /** `https://host[:port]` or `http://host[:port]`, as URL.origin writes it. */
  origin: string;
  /** Only requests whose path starts with this; "/" for all. */
  pathPrefix: string;
  headers: Record<string, string>;
  /** Masked in anything the upstream sends back (the header values above, as a rule). */
  secrets: string[];
}

/** What one session may reach, decided by the caller from the session's environment and vaults. */
export interface EgressGrant {
  sessionId: string;
  environmentId: string;
  /** `limited` networking: the hosts (lower-case names or IPs) it may reach; null when unrestricted. */
  allowedHosts: ReadonlySet<string> | null;
  injections: EgressInjection[];
  /** Removed from intercepted requests wherever the runtime put it. */
  placeholder: string;
}

export interface EgressProxyOptions {
  /** The grant for these proxy credentials, or null when they name no live placeholder. */
  authenticate(sessionId: string, placeholder: string): Promise<EgressGrant | null>;
  authority: EgressCertificateAuthority;
  privateEndpoints: PrivateEndpoints;
  /** Tests stub DNS; production uses the system resolver. */
  resolve?: Resolver;
  /** Extra trust for upstream certificates (tests); production trusts Node's store and NODE_EXTRA_CA_CERTS. */
  upstreamCa?: string;
}

type Decision = { kind: "refuse"; status: 403; message: string } | { kind: "tunnel" } | { kind: "intercept"; injections: EgressInjection[] };

/** An intercepted connection: whose it is and where it goes. */
interface InterceptedTarget {
  grant: EgressGrant;
  host: string;
  port: number;
  injections: EgressInjection[];
}

const REALM = 'Basic realm="console egress", charset="UTF-8"';
/** Request headers that belong to one hop (or to the proxy) and never travel on. */
const HOP_HEADERS = new Set(["connection", "keep-alive", "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"]);
const RESPONSE_HOP_HEADERS = new Set(["connection", "keep-alive", "transfer-encoding", "trailer", "upgrade", "proxy-authenticate"]);

function proxyCredentials(headers: IncomingHttpHeaders): { sessionId: string; placeholder: string } | null {
  const match = headers["proxy-authorization"]?.match(/^Basic\s+([A-Za-z0-9+/=]+)\s*$/i);
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon <= 0) return null;
  return { sessionId: decodeURIComponent(decoded.slice(0, colon)), placeholder: decodeURIComponent(decoded.slice(colon + 1)) };
}

function errorBody(type: string, message: string): string {
  return JSON.stringify({ type: "error", error: { type, message } });
}

/** A refusal written straight to a socket (CONNECT answers come before any HTTP framing of ours). */
function refuseSocket(socket: Duplex, status: number, reason: string, type: string, message: string, extra: string[] = []): void {
  const body = errorBody(type, message);
  const head = [
    `HTTP/1.1 ${status} ${reason}`,
    "content-type: application/json",
    `content-length: ${Buffer.byteLength(body)}`,
    "x-should-retry: false",
    "connection: close",
    ...extra,
  ];
  socket.end(`${head.join("\r\n")}\r\n\r\n${body}`);
}

function refuseResponse(response: ServerResponse, status: number, type: string, message: string, extra: OutgoingHttpHeaders = {}): void {
  const body = errorBody(type, message);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body), "x-should-retry": "false", ...extra });
  response.end(body);
}

const MISSING_CREDENTIALS =
  "The egress proxy needs the session's proxy credentials: set HTTPS_PROXY and HTTP_PROXY to the proxy URL that POST /v1/sessions/{session_id}/runtime returned (mode egress)";
const WRONG_CREDENTIALS =
  "These proxy credentials name no live placeholder (the session's runtime settings were fetched again, revoked, or the session is archived); fetch the runtime settings again";

function hostOf(authority: string): { host: string; port: number } | null {
  try {
    const url = new URL(`http://${authority}`);
    if (url.username || url.password || url.pathname !== "/" || !url.port) return null;
    return { host: url.hostname.replace(/^\[|\]$/g, "").toLowerCase(), port: Number(url.port) };
  } catch {
    return null;
  }
}

function originOf(protocol: "https:" | "http:", host: string, port: number): string {
  const bracketed = host.includes(":") ? `[${host}]` : host;
  return new URL(`${protocol}//${bracketed}:${port}`).origin;
}

/** The environment's networking, the endpoint policy, then what applies: all before any lookup. */
export function decide(grant: EgressGrant, protocol: "https:" | "http:", host: string, port: number, privateEndpoints: PrivateEndpoints): Decision {
  const origin = originOf(protocol, host, port);
  const injections = grant.injections.filter((injection) => injection.origin === origin);
  const allowed = grant.allowedHosts === null || grant.allowedHosts.has(host) || injections.length > 0;
  if (!allowed) {
    return {
      kind: "refuse",
      status: 403,
      message: `${host} is not reachable from session ${grant.sessionId}: its environment ${grant.environmentId} has limited networking and ${host} is not in its allowed_hosts; add it there to allow it`,
    };
  }
  const refusal = destinationRefusal(new URL(origin), privateEndpoints);
  if (refusal) return { kind: "refuse", status: 403, message: `The egress proxy will not connect session ${grant.sessionId} to ${host}: ${refusal}` };
  return injections.length > 0 ? { kind: "intercept", injections } : { kind: "tunnel" };
}

/** The request's headers for the upstream: hop headers dropped, the placeholder removed wherever it is. */
function forwardedHeaders(headers: IncomingHttpHeaders, placeholder: string): OutgoingHttpHeaders {
  const forwarded: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_HEADERS.has(name)) continue;
    const values = Array.isArray(value) ? value : [value];
    if (values.some((each) => each.includes(placeholder))) continue;
    forwarded[name] = value;
  }
  // Uncompressed, so that a secret quoted back can be masked as the body streams through.
  if (forwarded["accept-encoding"] !== undefined) forwarded["accept-encoding"] = "identity";
  return forwarded;
}

function injectionFor(injections: EgressInjection[], path: string): EgressInjection | undefined {
  // The longest matching prefix wins, so an MCP server's path beats a whole-host credential.
  return injections.filter((injection) => path.startsWith(injection.pathPrefix)).sort((left, right) => right.pathPrefix.length - left.pathPrefix.length)[0];
}

function maskedHeaders(incoming: IncomingMessage, secrets: string[]): OutgoingHttpHeaders {
  const mask = (text: string) => secrets.reduce((masked, secret) => masked.split(secret).join("*".repeat(Buffer.byteLength(secret))), text);
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined || RESPONSE_HOP_HEADERS.has(name)) continue;
    headers[name] = Array.isArray(value) ? value.map(mask) : mask(value);
  }
  return headers;
}

/** Streams the upstream body back unbuffered, with backpressure, every secret masked. */
function relay(incoming: IncomingMessage, response: ServerResponse, secrets: string[]): void {
  const maskers = secrets.map((secret) => new SecretMasker(secret));
  const through = (chunk: Buffer) => maskers.reduce((data, masker) => masker.push(data), chunk);
  incoming.on("data", (chunk: Buffer) => {
    const released = through(chunk);
    if (released.length > 0 && !response.write(released)) incoming.pause();
  });
  response.on("drain", () => incoming.resume());
  incoming.on("end", () => {
    // Each masker's held-back tail still passes through the maskers after it.
    const rest = maskers.reduce((tail, masker) => Buffer.concat([masker.push(tail), masker.end()]), Buffer.alloc(0));
    response.end(rest);
  });
  incoming.on("error", () => response.destroy());
}

export interface EgressProxy {
  server: http.Server;
  /** Stops listening and ends every tunnel and intercepted connection (they outlive HTTP's own tracking). */
  close(): Promise<void>;
}

export function createEgressProxy(options: EgressProxyOptions): EgressProxy {
  const upstreamAgent = new https.Agent({
    keepAlive: true,
    ca: options.upstreamCa ? [...tls.rootCertificates, options.upstreamCa] : undefined,
    ALPNProtocols: ["http/1.1"],
  });
  const plainAgent = new http.Agent({ keepAlive: true });
  const intercepted = new WeakMap<Socket, InterceptedTarget>();

  /** One upstream request for a runtime's request, the injection applied when there is one. */
  function forward(request: IncomingMessage, response: ServerResponse, url: URL, grant: EgressGrant, injections: EgressInjection[]): void {
    const injection = injectionFor(injections, url.pathname);
    const secrets = injection?.secrets ?? [];
    const outgoing = openUpstreamRequest(url, {
      method: request.method ?? "GET",
      headers: forwardedHeaders(request.headers, grant.placeholder),
      credentialHeaders: injection?.headers ?? {},
      privateEndpoints: options.privateEndpoints,
      agent: url.protocol === "https:" ? upstreamAgent : plainAgent,
      resolve: options.resolve,
    });
    outgoing.on("response", (incoming) => {
      response.writeHead(incoming.statusCode ?? 502, incoming.statusMessage, maskedHeaders(incoming, secrets));
      response.flushHeaders();
      relay(incoming, response, secrets);
    });
    outgoing.on("error", (error) => {
      if (response.headersSent) response.destroy();
      else if (error instanceof EndpointRefusedError)
        refuseResponse(response, 403, "permission_error", `The egress proxy will not connect to ${url.hostname}: ${error.message}`);
      else
        refuseResponse(
          response,
          502,
          "api_error",
          `${url.host} is unreachable from the egress proxy (${(error as NodeJS.ErrnoException).code ?? error.message})`,
        );
    });
    response.on("close", () => outgoing.destroy());
    request.pipe(outgoing);
  }

  // Requests on intercepted TLS connections arrive here, in origin-form (`/v1/messages`).
  const interceptor = http.createServer((request, response) => {
    const target = intercepted.get(request.socket);
    if (!target) return refuseResponse(response, 500, "api_error", "The intercepted connection lost its target");
    const authority = target.host.includes(":") ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
    let url: URL;
    try {
      url = new URL(request.url ?? "/", `https://${authority}`);
    } catch {
      return refuseResponse(response, 400, "invalid_request_error", "The request target is not a path");
    }
    if (url.host !== new URL(`https://${authority}`).host)
      return refuseResponse(response, 400, "invalid_request_error", "The request target leaves the connected host");
    forward(request, response, url, target.grant, target.injections);
  });

  const proxy = http.createServer();

  // Absolute-form requests: plain http through the proxy.
  proxy.on("request", (request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      const credentials = proxyCredentials(request.headers);
      const grant = credentials ? await options.authenticate(credentials.sessionId, credentials.placeholder) : null;
      if (!grant)
        return refuseResponse(response, 407, "authentication_error", credentials ? WRONG_CREDENTIALS : MISSING_CREDENTIALS, { "proxy-authenticate": REALM });
      let url: URL;
      try {
        url = new URL(request.url ?? "");
      } catch {
        return refuseResponse(response, 400, "invalid_request_error", "A proxy request names an absolute http:// URL; use CONNECT for https");
      }
      if (url.protocol !== "http:")
        return refuseResponse(response, 400, "invalid_request_error", "Only http:// URLs are forwarded in absolute form; https goes through CONNECT");
      const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
      const decision = decide(grant, "http:", host, Number(url.port || 80), options.privateEndpoints);
      if (decision.kind === "refuse") return refuseResponse(response, decision.status, "permission_error", decision.message);
      forward(request, response, url, grant, decision.kind === "intercept" ? decision.injections : []);
    })().catch(() => refuseResponse(response, 502, "api_error", "The egress proxy could not serve this request"));
  });

  const hijacked = new Set<Socket>();

  proxy.on("connect", (request: IncomingMessage, socket: Socket, head: Buffer) => {
    hijacked.add(socket);
    socket.on("close", () => hijacked.delete(socket));
    socket.on("error", () => socket.destroy());
    void (async () => {
      const credentials = proxyCredentials(request.headers);
      const grant = credentials ? await options.authenticate(credentials.sessionId, credentials.placeholder) : null;
      if (!grant) {
        return refuseSocket(socket, 407, "Proxy Authentication Required", "authentication_error", credentials ? WRONG_CREDENTIALS : MISSING_CREDENTIALS, [
          `proxy-authenticate: ${REALM}`,
        ]);
      }
      const target = hostOf(request.url ?? "");
      if (!target) return refuseSocket(socket, 400, "Bad Request", "invalid_request_error", "CONNECT names host:port");
      const decision = decide(grant, "https:", target.host, target.port, options.privateEndpoints);
      if (decision.kind === "refuse") return refuseSocket(socket, decision.status, "Forbidden", "permission_error", decision.message);
      if (decision.kind === "tunnel") return tunnel(socket, head, target.host, target.port);

      const leaf = await options.authority.leafFor(target.host);
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) socket.unshift(head);
      const secure = new tls.TLSSocket(socket, {
        isServer: true,
        secureContext: tls.createSecureContext({ cert: leaf.certificatePem, key: leaf.privateKeyPem }),
        ALPNProtocols: ["http/1.1"],
      });
      secure.on("error", () => secure.destroy());
      intercepted.set(secure, { grant, host: target.host, port: target.port, injections: decision.injections });
      interceptor.emit("connection", secure);
    })().catch(() => refuseSocket(socket, 502, "Bad Gateway", "api_error", "The egress proxy could not open this connection"));
  });

  /** A host with nothing to inject: bytes pass both ways untouched, after the address check. */
  function tunnel(socket: Socket, head: Buffer, host: string, port: number): void {
    const url = new URL(originOf("https:", host, port));
    const upstream = net.connect({ host, port, lookup: guardedLookup(url, options.privateEndpoints, options.resolve) });
    let connected = false;
    upstream.once("connect", () => {
      connected = true;
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on("error", (error) => {
      if (connected) socket.destroy();
      else if (error instanceof EndpointRefusedError)
        refuseSocket(socket, 403, "Forbidden", "permission_error", `The egress proxy will not connect to ${host}: ${error.message}`);
      else refuseSocket(socket, 502, "Bad Gateway", "api_error", `${host}:${port} is unreachable from the egress proxy`);
    });
    socket.on("close", () => upstream.destroy());
  }

  async function close(): Promise<void> {
    const closed = new Promise<void>((resolveClose) => proxy.close(() => resolveClose()));
    for (const socket of hijacked) socket.destroy();
    proxy.closeAllConnections();
    interceptor.closeAllConnections();
    interceptor.close();
    upstreamAgent.destroy();
    plainAgent.destroy();
    await closed;
  }

  return { server: proxy, close };
}
