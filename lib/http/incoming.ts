import type { IncomingMessage, ServerResponse } from "node:http";
import { CLIENT_ADDRESS_HEADER, REQUEST_ID_HEADER, REQUEST_URL_HEADER } from "@/lib/http/headers";
import { resolveClientAddress, TrustedProxies } from "@/lib/http/client-address";
import { API_SECURITY_HEADERS, newNonce, pageSecurityHeaders } from "@/lib/http/security-headers";

export interface IncomingSettings {
  trustedProxies: TrustedProxies;
  /** CONSOLE_PUBLIC_URL is https: the console is served over https whatever the socket says. */
  publicUrlIsHttps: boolean;
  dev: boolean;
}

export function incomingSettings(env: { CONSOLE_TRUSTED_PROXIES: readonly string[]; CONSOLE_PUBLIC_URL?: string }, dev: boolean): IncomingSettings {
  return {
    trustedProxies: new TrustedProxies(env.CONSOLE_TRUSTED_PROXIES),
    publicUrlIsHttps: env.CONSOLE_PUBLIC_URL?.startsWith("https:") ?? false,
    dev,
  };
}

const FORWARDED_HEADERS = ["x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "forwarded"];

function firstValue(value: string | string[] | undefined): string | undefined {
  return (Array.isArray(value) ? value[0] : value)?.split(",")[0]?.trim().toLowerCase();
}

/** True for /v1 and /v1/… (not /v1abc, which is a page path). */
export function isApiPath(url: string | undefined): boolean {
  const path = (url ?? "/").split("?")[0] ?? "/";
  return path === "/v1" || path.startsWith("/v1/");
}

/**
 * Everything the custom server settles before Next sees a request: the headers the console stamps
 * itself (client address, request URL, request id) replace any a client sent; forwarded headers count only
 * from a trusted proxy; the response starts with its security headers, and a page request carries
 * a fresh CSP nonce for Next to put on its scripts.
 */
export function prepareIncoming(request: IncomingMessage, response: ServerResponse, settings: IncomingSettings, requestId: string): void {
  const peer = request.socket.remoteAddress;
  const fromTrustedProxy = peer !== undefined && settings.trustedProxies.includes(peer);
  const client = resolveClientAddress(peer, request.headers["x-forwarded-for"], settings.trustedProxies);
  const https = settings.publicUrlIsHttps || (fromTrustedProxy && firstValue(request.headers["x-forwarded-proto"]) === "https");
  if (!fromTrustedProxy) for (const name of FORWARDED_HEADERS) delete request.headers[name];

  delete request.headers[CLIENT_ADDRESS_HEADER];
  if (client) request.headers[CLIENT_ADDRESS_HEADER] = client;
  request.headers[REQUEST_URL_HEADER] = request.url ?? "/";
  request.headers[REQUEST_ID_HEADER] = requestId;

  if (isApiPath(request.url)) {
    for (const [name, value] of Object.entries(API_SECURITY_HEADERS)) response.setHeader(name, value);
    return;
  }
  const nonce = newNonce();
  const headers = pageSecurityHeaders(nonce, { dev: settings.dev, https });
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  // Next takes the nonce for its own scripts from the request's policy (and nothing else from it).
  request.headers["content-security-policy"] = headers["content-security-policy"];
  delete request.headers["content-security-policy-report-only"];
}
