import { redactingStream, redactText } from "@/lib/api/redact-stream";
import { errorResponse, errorToResponse } from "@/lib/api/respond";
import { newId } from "@/lib/ids";
import { resolveBoundaryTarget } from "@/lib/server/boundary";

/**
 * Forwarding for the credential boundary. Request headers pass by allow-list, so any credential the
 * runtime sends (its placeholder, cookies, other providers' keys) stops here; the real token is
 * added as both x-api-key and Authorization: Bearer. Bodies stream both ways unbuffered, and the
 * token is masked in whatever comes back, should the upstream quote it.
 */
const FORWARDED_REQUEST_HEADERS = new Set(["accept", "content-type", "user-agent", "idempotency-key"]);
const FORWARDED_REQUEST_PREFIXES = ["anthropic-", "x-stainless-"];
const DROPPED_RESPONSE_HEADERS = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-encoding",
  "content-length",
  "set-cookie",
  "proxy-authenticate",
  "trailer",
  "upgrade",
]);

function presentedPlaceholder(request: Request): string | null {
  const header = request.headers.get("x-api-key");
  if (header) return header.trim();
  const match = request.headers.get("authorization")?.match(/^Bearer\s+(.+)$/i);
  return match?.[1]?.trim() ?? null;
}

function forwardedHeaders(request: Request, token: string): Headers {
  const headers = new Headers();
  request.headers.forEach((value, name) => {
    if (FORWARDED_REQUEST_HEADERS.has(name) || FORWARDED_REQUEST_PREFIXES.some((prefix) => name.startsWith(prefix))) {
      headers.set(name, value);
    }
  });
  headers.set("x-api-key", token);
  headers.set("authorization", `Bearer ${token}`);
  // Asked uncompressed so the body can be streamed through as it arrives, byte for byte.
  headers.set("accept-encoding", "identity");
  return headers;
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

export async function forwardThroughBoundary(request: Request, sessionId: string, pathSegments: string[]): Promise<Response> {
  const requestId = newId("req");
  let target: Awaited<ReturnType<typeof resolveBoundaryTarget>>;
  try {
    target = await resolveBoundaryTarget(sessionId, presentedPlaceholder(request));
  } catch (error) {
    return errorToResponse(error, requestId);
  }
  const url = upstreamUrl(target.upstreamBase, pathSegments, new URL(request.url).search);
  if (!url) return errorResponse("invalid_request_error", "The request path would leave the model endpoint's origin", requestId);

  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  const init: RequestInit & { duplex?: "half" } = {
    method: request.method,
    headers: forwardedHeaders(request, target.token),
    body: hasBody ? request.body : undefined,
    duplex: hasBody ? "half" : undefined,
    // A redirect would carry the token to wherever it points; the runtime gets the 3xx instead.
    redirect: "manual",
    signal: request.signal,
  };
  let upstream: Response;
  try {
    upstream = await fetch(url, init);
  } catch {
    return errorResponse("api_error", `The model endpoint ${target.upstreamBase.origin} is unreachable`, requestId, { status: 502 });
  }
  const headers = new Headers();
  upstream.headers.forEach((value, name) => {
    if (!DROPPED_RESPONSE_HEADERS.has(name)) headers.set(name, redactText(value, target.token));
  });
  const body = upstream.body?.pipeThrough(redactingStream(target.token)) ?? null;
  return new Response(body, { status: upstream.status, statusText: upstream.statusText, headers });
}
