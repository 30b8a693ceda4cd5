import { randomBytes } from "node:crypto";

/**
 * The headers every answer of the console carries (SPEC §9). Pages get a Content-Security-Policy
 * whose script nonce is new on every request: Next reads the nonce from the request's own
 * Content-Security-Policy header and puts it on each script it renders, so only the scripts this
 * response was rendered with run. `frame-ancestors 'none'` (and X-Frame-Options for browsers that
 * predate it) keeps the signed-in console out of anyone's frame.
 */

export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

export interface PagePolicyOptions {
  /** `--dev`: React's development build evaluates strings, and the dev overlay needs its sockets. */
  dev: boolean;
  /** Served over https (see servedOverHttps): HSTS and upgrade-insecure-requests. */
  https: boolean;
}

export function contentSecurityPolicy(nonce: string, options: PagePolicyOptions): string {
  const directives = [
    "default-src 'self'",
    // 'strict-dynamic': a script the nonce admitted may load Next's chunks; nothing else runs.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${options.dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "worker-src 'self' blob:",
    "manifest-src 'self'",
  ];
  if (options.https) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/** Nothing the console does needs these; turning them off means an injected page cannot ask either. */
const PERMISSIONS_POLICY = [
  "camera=()",
  "microphone=()",
  "geolocation=()",
  "payment=()",
  "usb=()",
  "serial=()",
  "hid=()",
  "midi=()",
  "display-capture=()",
  "clipboard-read=()",
].join(", ");

const HSTS = "max-age=31536000; includeSubDomains";

/** Headers for every non-API answer (pages, server actions, Auth.js, static files). */
export function pageSecurityHeaders(nonce: string, options: PagePolicyOptions): Record<string, string> {
  const headers: Record<string, string> = {
    "content-security-policy": contentSecurityPolicy(nonce, options),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "permissions-policy": PERMISSIONS_POLICY,
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
  };
  if (options.https) headers["strict-transport-security"] = HSTS;
  return headers;
}

/**
 * Every /v1 answer: JSON is never to be sniffed into something else, and an answer about secrets'
 * metadata must not sit in a shared or browser cache.
 */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "cache-control": "no-store",
};
