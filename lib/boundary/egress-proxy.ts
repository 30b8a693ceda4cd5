import http, { type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from "node:http";
import net, { type Socket } from "node:net";
import tls from "node:tls";
import type { Duplex } from "node:stream";
import type { EgressCertificateAuthority, LeafCertificate } from "@/lib/boundary/egress-ca";
import { destinationRefusal, type PrivateEndpoints } from "@/lib/boundary/endpoint-policy";
import { EndpointRefusedError, guardedLookup, openUpstreamRequest, upstreamAgent, type Resolver } from "@/lib/boundary/upstream-request";
import { hostMatches } from "@/lib/boundary/host-patterns";
import { refusalOutcome, secondsSince, UNOBSERVED, type BoundaryObserver } from "@/lib/boundary/observer";
import { SecretMasker } from "@/lib/boundary/secret-masker";

/**
 * The egress proxy: the second front door of the runtime side. A sandbox points HTTPS_PROXY and
 * HTTP_PROXY here with its session id and placeholder as proxy credentials, keeps the real URLs,
 * and trusts the console's egress CA. For each destination the session's grant decides, before any
 * DNS lookup: refused (403), tunnelled untouched (no credential applies, so certificates and pinning
 * stay the host's own), or intercepted (TLS terminated with a leaf of the egress CA, the request's
 * placeholder removed and the credential for that host injected, the upstream verified as usual).
 */

/** A placeholder the runtime holds (an environment_variable credential's) and the value it stands for. */
export interface Replacement {
  placeholder: string;
  value: string;
  inHeaders: boolean;
  inBody: boolean;
}

/** What a route adds to one request, opened (decrypted) for that request alone. */
export type OpenedRoute =
  | { ok: true; headers: Record<string, string>; replacements: Replacement[]; secrets: string[] }
  /** The route's credential cannot be used (fail-closed): the request is refused with this (403 unless a status says otherwise). */
  | { ok: false; problem: string; status?: number };

/**
 * A credential that applies to requests for some hosts: the LLM vault's origin, an MCP server's
 * origin and path, a header credential vault's target domains, an environment variable's hosts.
 */
export interface EgressRoute {
  /** A lower-case host name or IP, `*.example.org` (any subdomain), or `*` (any host). */
  host: string;
  protocols: ReadonlyArray<"https:" | "http:">;
  /** Null: any port. */
  port: number | null;
  /** Only requests whose path starts with this; "/" for all. */
  pathPrefix: string;
  /** False for `tls_mode: passthrough`: the host is reachable, its TLS untouched, nothing injected. */
  intercept: boolean;
  /** Whether the route makes its hosts reachable in a `limited` environment (an environment variable's hosts do not). */
  widens: boolean;
  /** Says which credential this is, for refusals and the console's Runtime panel; never a secret. */
  label: string;
  open(): Promise<OpenedRoute>;
}

/** What one session may reach, decided by the caller from the session's environment and vaults. */
export interface EgressGrant {
  sessionId: string;
  environmentId: string;
  /** `limited` networking: host patterns it may reach (as EgressRoute.host); null when unrestricted. */
  allowedHosts: readonly string[] | null;
  routes: EgressRoute[];
  /** Removed from intercepted requests wherever the runtime put it. */
  placeholder: string;
}

export interface EgressProxyOptions {
  /**
   * The grant for these proxy credentials, or null when they name no live placeholder. Asked on
   * every new connection and again on every intercepted request, so a rotation, revocation or
   * archive applies to the next request even on a kept-alive connection.
   */
  authenticate(sessionId: string, placeholder: string): Promise<EgressGrant | null>;
  /** The CA that signs leaves (the database's current one, re-read when rotated). */
  authority(): Promise<EgressCertificateAuthority>;
  privateEndpoints: PrivateEndpoints;
  /** Tests stub DNS; production uses the system resolver. */
  resolve?: Resolver;
  /** Extra trust for upstream certificates (tests); production trusts Node's store and NODE_EXTRA_CA_CERTS. */
  upstreamCa?: string;
  /** Told each request's outcome, bytes and added latency (the console's metrics). */
  observer?: BoundaryObserver;
}

type Decision = { kind: "refuse"; status: 403; message: string } | { kind: "tunnel" } | { kind: "intercept"; routes: EgressRoute[] };

/** An intercepted connection: whose it is (its proxy credentials) and where it goes. */
interface InterceptedTarget {
  sessionId: string;
  placeholder: string;
  host: string;
  port: number;
}

/** Bodies whose placeholders are replaced are read whole first; past this the request is refused. */
const REPLACED_BODY_MAX = 16 * 1024 * 1024;

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
function writeSocketRefusal(socket: Duplex, status: number, reason: string, type: string, message: string, extra: string[] = []): void {
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

function writeResponseRefusal(response: ServerResponse, status: number, type: string, message: string, extra: OutgoingHttpHeaders = {}): void {
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
    // The port as written: URL drops an http default (80), which CONNECT must still name.
    const port = authority.match(/:(\d{1,5})$/)?.[1];
    const url = new URL(`http://${authority}`);
    if (url.username || url.password || url.pathname !== "/" || !port || Number(port) > 65535 || Number(port) === 0) return null;
    return { host: url.hostname.replace(/^\[|\]$/g, "").toLowerCase(), port: Number(port) };
  } catch {
    return null;
  }
}

function originOf(protocol: "https:" | "http:", host: string, port: number): string {
  const bracketed = host.includes(":") ? `[${host}]` : host;
  return new URL(`${protocol}//${bracketed}:${port}`).origin;
}

/** The routes that apply to a destination (any path). */
function routesFor(grant: EgressGrant, protocol: "https:" | "http:", host: string, port: number): EgressRoute[] {
  return grant.routes.filter((route) => route.protocols.includes(protocol) && (route.port === null || route.port === port) && hostMatches(route.host, host));
}

/** The environment's networking, the endpoint policy, then what applies: all before any lookup. */
export function decide(grant: EgressGrant, protocol: "https:" | "http:", host: string, port: number, privateEndpoints: PrivateEndpoints): Decision {
  const routes = routesFor(grant, protocol, host, port);
  const allowed = grant.allowedHosts === null || grant.allowedHosts.some((pattern) => hostMatches(pattern, host)) || routes.some((route) => route.widens);
  if (!allowed) {
    return {
      kind: "refuse",
      status: 403,
      message: `${host} is not reachable from session ${grant.sessionId}: its environment ${grant.environmentId} has limited networking and ${host} is not in its allowed_hosts; add it there to allow it`,
    };
  }
  const refusal = destinationRefusal(new URL(originOf(protocol, host, port)), privateEndpoints);
  if (refusal) return { kind: "refuse", status: 403, message: `The egress proxy will not connect session ${grant.sessionId} to ${host}: ${refusal}` };
  const intercepted = routes.filter((route) => route.intercept);
  return intercepted.length > 0 ? { kind: "intercept", routes: intercepted } : { kind: "tunnel" };
}

function replaceAll(text: string, replacements: readonly Replacement[]): string {
  return replacements.reduce((replaced, { placeholder, value }) => replaced.split(placeholder).join(value), text);
}

/**
 * The request's headers for the upstream: hop headers dropped, any header carrying the session's
 * placeholder removed, environment-variable placeholders replaced where their credential allows it.
 * A header whose value a replacement changed holds a secret, so it comes back apart (`secret`): the
 * caller sets it on the request object, never in http.request's options, which NODE_DEBUG=http prints.
 */
function forwardedHeaders(
  headers: IncomingHttpHeaders,
  placeholder: string,
  replacements: readonly Replacement[],
): { plain: OutgoingHttpHeaders; secret: Record<string, string | string[]> } {
  const inHeaders = replacements.filter((replacement) => replacement.inHeaders);
  const plain: OutgoingHttpHeaders = {};
  const secret: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_HEADERS.has(name)) continue;
    const values = Array.isArray(value) ? value : [value];
    if (values.some((each) => each.includes(placeholder))) continue;
    const replaced = values.map((each) => replaceAll(each, inHeaders));
    const target = replaced.some((each, index) => each !== values[index]) ? secret : plain;
    target[name] = Array.isArray(value) ? replaced : (replaced[0] ?? "");
  }
  // Uncompressed, so that a secret quoted back can be masked as the body streams through.
  if (plain["accept-encoding"] !== undefined) plain["accept-encoding"] = "identity";
  return { plain, secret };
}

/** The routes that apply to one request: the header route with the longest path prefix, and every replacement route. */
function routesForPath(routes: EgressRoute[], path: string): EgressRoute[] {
  return routes.filter((route) => path.startsWith(route.pathPrefix)).sort((left, right) => right.pathPrefix.length - left.pathPrefix.length);
}

/** Opens the routes for one request: one refusal refuses it; headers of a longer path prefix win. */
async function openRoutes(routes: EgressRoute[]): Promise<OpenedRoute> {
  const opened = await Promise.all(routes.map((route) => route.open()));
  const headers: Record<string, string> = {};
  const replacements: Replacement[] = [];
  const secrets: string[] = [];
  // Shortest prefix first, so a longer one (an MCP server's path on the LLM's host) overwrites it.
  for (const each of [...opened].reverse()) {
    if (!each.ok) return each;
    Object.assign(headers, Object.fromEntries(Object.entries(each.headers).map(([name, value]) => [name.toLowerCase(), value])));
    replacements.push(...each.replacements);
    secrets.push(...each.secrets);
  }
  return { ok: true, headers, replacements, secrets: [...new Set(secrets.filter((secret) => secret.length > 0))] };
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
function relay(incoming: IncomingMessage, response: ServerResponse, secrets: string[], observer: BoundaryObserver): void {
  const maskers = secrets.map((secret) => new SecretMasker(secret));
  const through = (chunk: Buffer) => maskers.reduce((data, masker) => masker.push(data), chunk);
  incoming.on("data", (chunk: Buffer) => {
    observer.bytes("downstream", chunk.length);
    const released = through(chunk);
    if (released.length > 0 && !response.write(released)) incoming.pause();
  });
  response.on("drain", () => incoming.resume());
  incoming.on("end", () => {
    // Each masker's held-back tail still passes through the maskers after it.
    const rest = maskers.reduce((tail, masker) => Buffer.concat([masker.push(tail), masker.end()]), Buffer.alloc(0));
    if (rest.length > 0) response.end(rest);
    else response.end(); // no empty chunk: it would still go through the socket's write path, twice
  });
  incoming.on("error", () => response.destroy());
}

export interface EgressProxy {
  server: http.Server;
  /**
   * Stops accepting connections and resolves once no request is being answered (a model stream
   * through an intercepted connection is one request until it ends). Idle tunnels do not count.
   */
  drained(): Promise<void>;
  /** Stops listening and ends every tunnel and intercepted connection (they outlive HTTP's own tracking). */
  close(): Promise<void>;
}

/** Reads a request body whole (for placeholder replacement), or null past the limit. */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolveBody, rejectBody) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners("data");
        request.resume();
        resolveBody(null);
      } else chunks.push(chunk);
    });
    request.on("end", () => resolveBody(size > limit ? null : Buffer.concat(chunks)));
    request.on("error", rejectBody);
  });
}

export function createEgressProxy(options: EgressProxyOptions): EgressProxy {
  const observer = options.observer ?? UNOBSERVED;
  let answering = 0;
  let wakeWhenIdle: Array<() => void> = [];
  /** Counts a request until its response ends or is cut. */
  const track = (response: ServerResponse) => {
    answering += 1;
    response.once("close", () => {
      answering -= 1;
      if (answering > 0) return;
      for (const wake of wakeWhenIdle) wake();
      wakeWhenIdle = [];
    });
  };
  const refuseResponse = (response: ServerResponse, status: number, type: string, message: string, extra?: OutgoingHttpHeaders) => {
    observer.outcome(refusalOutcome(status));
    writeResponseRefusal(response, status, type, message, extra);
  };
  const refuseSocket = (socket: Duplex, status: number, reason: string, type: string, message: string, extra?: string[]) => {
    observer.outcome(refusalOutcome(status));
    writeSocketRefusal(socket, status, reason, type, message, extra);
  };
  const upstreamTlsAgent = upstreamAgent("https:", {
    // One context made here: as a `ca` list, every root's PEM would be joined into the pool key on
    // each request (https.Agent.getName; most of the proxy's CPU in a profile) and parsed again per connection.
    secureContext: options.upstreamCa ? tls.createSecureContext({ ca: [...tls.rootCertificates, options.upstreamCa] }) : undefined,
    ALPNProtocols: ["http/1.1"],
  });
  const plainAgent = upstreamAgent("http:");
  const intercepted = new WeakMap<Socket, InterceptedTarget>();
  // One TLS context per leaf, made on its first connection: building one parses the certificate and
  // key, which cost as much CPU as the handshake itself; a rotated CA's leaves are new objects.
  const leafContexts = new WeakMap<LeafCertificate, tls.SecureContext>();
  const contextFor = (leaf: LeafCertificate): tls.SecureContext => {
    const known = leafContexts.get(leaf);
    if (known) return known;
    const context = tls.createSecureContext({ cert: leaf.certificatePem, key: leaf.privateKeyPem });
    leafContexts.set(leaf, context);
    return context;
  };

  /** One upstream request for a runtime's request, with what its routes inject. */
  async function forward(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    grant: EgressGrant,
    routes: EgressRoute[],
    arrivedAt: number,
  ): Promise<void> {
    const opened = await openRoutes(routesForPath(routes, url.pathname));
    if (!opened.ok) {
      const status = opened.status ?? 403;
      return refuseResponse(response, status, status === 403 ? "permission_error" : "api_error", opened.problem);
    }
    const { plain: headers, secret: replacedHeaders } = forwardedHeaders(request.headers, grant.placeholder, opened.replacements);
    const inBody = opened.replacements.filter((replacement) => replacement.inBody);
    let body: Buffer | null = null;
    if (inBody.length > 0) {
      const read = await readBody(request, REPLACED_BODY_MAX);
      if (read === null)
        return refuseResponse(
          response,
          413,
          "request_too_large",
          `A request body in which the egress proxy replaces placeholders may be at most ${REPLACED_BODY_MAX} bytes`,
        );
      body = Buffer.from(replaceAll(read.toString("utf8"), inBody), "utf8");
      delete headers["transfer-encoding"];
      if (body.length > 0 || headers["content-length"] !== undefined) headers["content-length"] = String(body.length);
    }
    const secrets = [...opened.secrets, ...opened.replacements.map((replacement) => replacement.value)];
    const outgoing = openUpstreamRequest(url, {
      method: request.method ?? "GET",
      headers,
      // The route's own headers win over a runtime header of the same name.
      credentialHeaders: { ...replacedHeaders, ...opened.headers },
      privateEndpoints: options.privateEndpoints,
      agent: url.protocol === "https:" ? upstreamTlsAgent : plainAgent,
      resolve: options.resolve,
    });
    observer.addedLatency(secondsSince(arrivedAt));
    outgoing.on("response", (incoming) => {
      observer.outcome("forwarded");
      response.writeHead(incoming.statusCode ?? 502, incoming.statusMessage, maskedHeaders(incoming, secrets));
      response.flushHeaders();
      relay(incoming, response, secrets, observer);
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
    if (body) {
      observer.bytes("upstream", body.length);
      outgoing.end(body);
    } else {
      request.on("data", (chunk: Buffer) => observer.bytes("upstream", chunk.length));
      request.pipe(outgoing);
    }
  }

  const failed = (response: ServerResponse) => () => {
    if (response.headersSent) response.destroy();
    else refuseResponse(response, 502, "api_error", "The egress proxy could not serve this request");
  };

  // Requests on intercepted TLS connections arrive here, in origin-form (`/v1/messages`). Each is
  // authorized afresh: the placeholder may have been revoked and a credential rotated since the CONNECT.
  const interceptor = http.createServer((request, response) => {
    const arrivedAt = performance.now();
    track(response);
    void (async () => {
      const target = intercepted.get(request.socket);
      if (!target) return refuseResponse(response, 502, "api_error", "The intercepted connection lost its target");
      const authority = target.host.includes(":") ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
      let url: URL;
      try {
        url = new URL(request.url ?? "/", `https://${authority}`);
      } catch {
        return refuseResponse(response, 400, "invalid_request_error", "The request target is not a path");
      }
      if (!(request.url ?? "").startsWith("/") || url.host !== new URL(`https://${authority}`).host)
        return refuseResponse(response, 400, "invalid_request_error", "The request target leaves the connected host");
      const grant = await options.authenticate(target.sessionId, target.placeholder);
      if (!grant) return refuseResponse(response, 407, "authentication_error", WRONG_CREDENTIALS, { "proxy-authenticate": REALM });
      const decision = decide(grant, "https:", target.host, target.port, options.privateEndpoints);
      if (decision.kind === "refuse") return refuseResponse(response, decision.status, "permission_error", decision.message);
      await forward(request, response, url, grant, decision.kind === "intercept" ? decision.routes : [], arrivedAt);
    })().catch(failed(response));
  });

  const proxy = http.createServer();

  // Absolute-form requests: plain http through the proxy.
  proxy.on("request", (request: IncomingMessage, response: ServerResponse) => {
    const arrivedAt = performance.now();
    track(response);
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
      await forward(request, response, url, grant, decision.kind === "intercept" ? decision.routes : [], arrivedAt);
    })().catch(failed(response));
  });

  const hijacked = new Set<Socket>();

  proxy.on("connect", (request: IncomingMessage, socket: Socket, head: Buffer) => {
    hijacked.add(socket);
    socket.on("close", () => hijacked.delete(socket));
    socket.on("error", () => socket.destroy());
    void (async () => {
      const credentials = proxyCredentials(request.headers);
      const grant = credentials ? await options.authenticate(credentials.sessionId, credentials.placeholder) : null;
      if (!credentials || !grant) {
        return refuseSocket(socket, 407, "Proxy Authentication Required", "authentication_error", credentials ? WRONG_CREDENTIALS : MISSING_CREDENTIALS, [
          `proxy-authenticate: ${REALM}`,
        ]);
      }
      const target = hostOf(request.url ?? "");
      if (!target) return refuseSocket(socket, 400, "Bad Request", "invalid_request_error", "CONNECT names host:port");
      const decision = decide(grant, "https:", target.host, target.port, options.privateEndpoints);
      if (decision.kind === "refuse") return refuseSocket(socket, decision.status, "Forbidden", "permission_error", decision.message);
      if (decision.kind === "tunnel") return tunnel(socket, head, target.host, target.port);

      const leaf = await (await options.authority()).leafFor(target.host);
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) socket.unshift(head);
      const secure = new tls.TLSSocket(socket, {
        isServer: true,
        secureContext: contextFor(leaf),
        ALPNProtocols: ["http/1.1"],
      });
      secure.on("error", () => secure.destroy());
      intercepted.set(secure, { sessionId: credentials.sessionId, placeholder: credentials.placeholder, host: target.host, port: target.port });
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
      observer.outcome("tunnelled");
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
    socket.on("close", () => {
      upstream.destroy();
      if (!connected) return;
      observer.bytes("upstream", upstream.bytesWritten);
      observer.bytes("downstream", upstream.bytesRead);
    });
  }

  async function close(): Promise<void> {
    const closed = new Promise<void>((resolveClose) => proxy.close(() => resolveClose()));
    for (const socket of hijacked) socket.destroy();
    proxy.closeAllConnections();
    interceptor.closeAllConnections();
    interceptor.close();
    upstreamTlsAgent.destroy();
    plainAgent.destroy();
    await closed;
  }

  function drained(): Promise<void> {
    proxy.close();
    proxy.closeIdleConnections();
    return answering === 0 ? Promise.resolve() : new Promise((wake) => wakeWhenIdle.push(wake));
  }

  return { server: proxy, close, drained };
}
