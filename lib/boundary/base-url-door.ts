import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { Readable, Transform } from "node:stream";
import zlib from "node:zlib";
import { endpointRefused, type BoundaryTarget } from "@/lib/boundary/base-url-target";
import type { PrivateEndpoints } from "@/lib/boundary/endpoint-policy";
import { sendErrorEnvelope } from "@/lib/boundary/error-envelope";
import { refusalOutcome, secondsSince, UNOBSERVED, type BoundaryObserver } from "@/lib/boundary/observer";
import { redactText, SecretMasker } from "@/lib/boundary/secret-masker";
import { EndpointRefusedError, openUpstreamRequest, upstreamAgent } from "@/lib/boundary/upstream-request";
import { ConsoleError } from "@/lib/errors";

/**
 * Forwarding for the credential boundary, on Node's own HTTP client and streams: this is the path
 * of every model call, and web fetch and web streams cost several times more CPU per request.
 * Request headers pass by allow-list, so any credential the runtime sends (its placeholder, cookies,
 * other providers' keys) stops here; the real token is added as both x-api-key and Authorization:
 * Bearer. Bodies stream both ways unbuffered, and the token is masked in whatever comes back,
 * should the upstream quote it.
 */
export const BOUNDARY_PREFIX = "/boundary/";

const FORWARDED_REQUEST_HEADERS = new Set(["accept", "content-type", "content-length", "user-agent", "idempotency-key"]);
const FORWARDED_REQUEST_PREFIXES = ["anthropic-", "x-stainless-"];
const DROPPED_RESPONSE_HEADERS = new Set(["connection", "keep-alive", "transfer-encoding", "set-cookie", "proxy-authenticate", "trailer", "upgrade"]);
const agents = { "http:": upstreamAgent("http:"), "https:": upstreamAgent("https:") };

function presentedPlaceholder(headers: IncomingHttpHeaders): string | null {
  const apiKey = headers["x-api-key"];
  if (typeof apiKey === "string" && apiKey) return apiKey.trim();
  const match = headers.authorization?.match(/^Bearer\s+(.+)$/i);
  return match?.[1]?.trim() ?? null;
}

/** The runtime's allow-listed headers; the token's are set separately (see openUpstreamRequest). */
function forwardedHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const forwarded: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && (FORWARDED_REQUEST_HEADERS.has(name) || FORWARDED_REQUEST_PREFIXES.some((prefix) => name.startsWith(prefix)))) {
      forwarded[name] = value;
    }
  }
  // Asked uncompressed so that the token can be masked in the body as it streams through.
  forwarded["accept-encoding"] = "identity";
  return forwarded;
}

/** What a boundary request names: its session, the model API path after it (segments percent-decoded) and its query. */
interface BoundaryPath {
  sessionId: string;
  path: string[];
  search: string;
}

/**
 * Splits `/boundary/{session}/{path…}?{query}` as the runtime sent it, or says what is wrong with
 * it. Read by hand rather than through a URL parse (one less per model call), which would also
 * resolve dot segments; here `.` and `..` are refused instead, so no path climbs out of the base
 * URL's own path (a gateway that serves several providers under one origin, say).
 */
export function boundaryPath(requestUrl: string): BoundaryPath | string {
  const queryAt = requestUrl.indexOf("?");
  const pathname = queryAt < 0 ? requestUrl : requestUrl.slice(0, queryAt);
  let segments: string[];
  try {
    segments = pathname.slice(BOUNDARY_PREFIX.length).split("/").map(decodeURIComponent);
  } catch {
    return "The request path is not valid percent-encoded UTF-8";
  }
  const [sessionId = "", ...path] = segments;
  if (path.some((segment) => segment === "." || segment === "..")) {
    return "The request path has a . or .. segment; send model API paths (such as /v1/messages) as they are, under ANTHROPIC_BASE_URL";
  }
  return { sessionId, path, search: queryAt < 0 ? "" : requestUrl.slice(queryAt) };
}

/**
 * The upstream URL: the vault's base URL plus the path and query the runtime asked for. Segments
 * are re-encoded one by one and the origin is checked, so no path can steer the token elsewhere.
 */
export function upstreamUrl(base: URL, pathSegments: string[], search: string): URL | null {
  const prefix = base.href.replace(/\/+$/, "");
  const path = pathSegments.map((segment) => encodeURIComponent(segment)).join("/");
  const url = new URL(`${prefix}/${path}${search}`);
  return url.origin === base.origin ? url : null;
}

const DECODERS: Record<string, () => Transform> = {
  gzip: () => zlib.createGunzip(),
  "x-gzip": () => zlib.createGunzip(),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
};

function contentEncoding(incoming: IncomingMessage): string {
  return incoming.headers["content-encoding"]?.trim().toLowerCase() ?? "";
}

/** A content-encoding the masking could not see through: the body is not passed on. */
function undecodableEncoding(incoming: IncomingMessage): string | null {
  const encoding = contentEncoding(incoming);
  return encoding && encoding !== "identity" && !DECODERS[encoding] ? encoding : null;
}

/**
 * The body as plain bytes. An upstream that compresses despite `accept-encoding: identity` would
 * otherwise hide a quoted token from the masking, and the runtime would still decompress it.
 */
function decoded(incoming: IncomingMessage): Readable {
  const decoder = DECODERS[contentEncoding(incoming)];
  return decoder ? incoming.pipe(decoder()) : incoming;
}

/** A header value with the token masked; nearly every value holds none, and is passed as it is. */
function maskedHeader(value: string, token: string): string {
  return value.includes(token) ? redactText(value, token) : value;
}

/**
 * The response headers for the runtime, the token masked in any of them. A body that is not
 * decompressed keeps its length (the mask is as long as the token), so it keeps its content-length:
 * the headers then leave with the first bytes of the body, and no chunk framing follows. Any other
 * body is sent chunked. The console's request id is one of them unless the upstream sent its own,
 * which is the one its provider's support can look up.
 */
export function answerHeaders(incoming: IncomingMessage, token: string, requestId: string): { headers: OutgoingHttpHeaders; keepsLength: boolean } {
  const keepsLength = incoming.headers["content-length"] !== undefined && !DECODERS[contentEncoding(incoming)];
  const headers: OutgoingHttpHeaders = { "request-id": requestId };
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined || DROPPED_RESPONSE_HEADERS.has(name)) continue;
    if (name === "content-encoding" || (name === "content-length" && !keepsLength)) continue;
    headers[name] = Array.isArray(value) ? value.map((each) => maskedHeader(each, token)) : maskedHeader(value, token);
  }
  return { headers, keepsLength };
}

/**
 * Copies the upstream body to the runtime as it arrives, the token masked, with backpressure: a
 * slow runtime pauses the upstream rather than filling memory. By hand rather than through pipe():
 * each stream layer cost a measurable share of what the boundary adds to a call.
 */
function relayMasked(body: Readable, response: ServerResponse, token: string, observer: BoundaryObserver): void {
  const masker = new SecretMasker(token);
  body.on("data", (chunk: Buffer) => {
    observer.bytes("downstream", chunk.length);
    const released = masker.push(chunk);
    if (released.length > 0 && !response.write(released)) body.pause();
  });
  response.on("drain", () => body.resume());
  body.on("end", () => {
    // end() with no chunk when nothing is held back: an empty chunk still goes through the socket's write path, twice.
    const rest = masker.end();
    if (rest.length > 0) response.end(rest);
    else response.end();
  });
  body.on("error", () => response.destroy());
}

/**
 * Decides a request (lib/boundary/base-url-target.ts): where its token goes, or the refusal it
 * throws. The request id is for logging an unexpected failure under the request's own id.
 */
export type ResolveTarget = (sessionId: string, placeholder: string | null, requestId: string) => Promise<BoundaryTarget>;

export interface BaseUrlDoorOptions {
  resolveTarget: ResolveTarget;
  /** CONSOLE_PRIVATE_ENDPOINTS, checked again against the addresses the upstream's name resolves to. */
  privateEndpoints: PrivateEndpoints;
  observer?: BoundaryObserver;
}

/**
 * The base-URL front door: answers `/boundary/{session}/{path…}` (scripts/start.ts routes it here
 * before Next, and lib/boundary/door-thread-worker.ts on a port of its own), under the request id
 * of the request's log line. The door sets every header of its answer in one writeHead: a header
 * set on the response beforehand would send each of the upstream's through setHeader, one by one.
 */
export function createBaseUrlBoundary(options: BaseUrlDoorOptions): (request: IncomingMessage, response: ServerResponse, requestId: string) => Promise<void> {
  const observer = options.observer ?? UNOBSERVED;
  const refuse = (response: ServerResponse, requestId: string, error: unknown, envelopeOptions?: { transient?: boolean }) => {
    sendErrorEnvelope(response, requestId, error, envelopeOptions);
    observer.outcome(refusalOutcome(response.statusCode));
  };
  return async (request, response, requestId) => {
    const arrivedAt = performance.now();
    const asked = boundaryPath(request.url ?? BOUNDARY_PREFIX);
    if (typeof asked === "string") return refuse(response, requestId, new ConsoleError("invalid_request_error", asked));
    let target: BoundaryTarget;
    try {
      target = await options.resolveTarget(asked.sessionId, presentedPlaceholder(request.headers), requestId);
    } catch (error) {
      return refuse(response, requestId, error);
    }
    const upstream = upstreamUrl(target.upstreamBase, asked.path, asked.search);
    if (!upstream) {
      const message = "The request path would leave the model endpoint's origin; send model API paths (such as /v1/messages) under ANTHROPIC_BASE_URL";
      return refuse(response, requestId, new ConsoleError("invalid_request_error", message));
    }

    const { token } = target;
    const outgoing = openUpstreamRequest(upstream, {
      method: request.method ?? "GET",
      headers: forwardedHeaders(request.headers),
      credentialHeaders: { "x-api-key": token, authorization: `Bearer ${token}` },
      privateEndpoints: options.privateEndpoints,
      agent: agents[upstream.protocol === "https:" ? "https:" : "http:"],
    });
    observer.addedLatency(secondsSince(arrivedAt));
    outgoing.on("response", (incoming) => {
      const encoding = undecodableEncoding(incoming);
      if (encoding) {
        incoming.resume();
        const message =
          `The model endpoint ${target.upstreamBase.origin} answered in content-encoding "${encoding}", which the boundary cannot check for the token; ` +
          "configure the endpoint to answer uncompressed (or in gzip, deflate or br)";
        return refuse(response, requestId, new ConsoleError("api_error", message, { status: 502 }));
      }
      const { headers, keepsLength } = answerHeaders(incoming, token, requestId);
      // A redirect is passed back as it is, never followed: it would carry the token elsewhere.
      response.writeHead(incoming.statusCode ?? 502, incoming.statusMessage, headers);
      // A body of unknown length is usually a stream (SSE): the runtime sees the status at once.
      if (!keepsLength) response.flushHeaders();
      observer.outcome("forwarded");
      relayMasked(decoded(incoming), response, token, observer);
    });
    outgoing.on("error", (error) => {
      if (response.headersSent) response.destroy();
      else if (error instanceof EndpointRefusedError) refuse(response, requestId, endpointRefused(target.vaultId, error.message));
      else {
        const message = `The model endpoint ${target.upstreamBase.origin} is unreachable; check that it is up and that this console can reach it, then send the request again`;
        refuse(response, requestId, new ConsoleError("api_error", message, { status: 502 }), { transient: true });
      }
    });
    // The runtime hung up: stop the upstream call (and its stream) too.
    response.on("close", () => outgoing.destroy());
    request.on("data", (chunk: Buffer) => observer.bytes("upstream", chunk.length));
    request.pipe(outgoing);
  };
}
