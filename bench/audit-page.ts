// The admin UI's audit log page as a signed-in owner's browser gets it: sign in through Auth.js's
// own endpoints (CSRF token, then the credentials callback, as the sign-in form posts), then GET
// /audit one request at a time with the session cookie and time the first byte of the body (TTFB)
// and the whole page. One at a time because the aim is what one person waits for, not throughput.
import { request } from "node:http";
import { performance } from "node:perf_hooks";
import { isLoopbackHost } from "./loopback";

export interface PageTimings {
  requests: number;
  ttfbP50Ms: number;
  ttfbP95Ms: number;
  totalP50Ms: number;
  totalP95Ms: number;
  /** Audit rows on the page, from its markup: shows that the page measured is the full one. */
  rows: number;
  bytes: number;
}

export interface AuditPageOptions {
  origin: string;
  email: string;
  password: string;
  warmupRequests: number;
  requests: number;
}

/** Set-Cookie name=value pairs, as a Cookie header. */
function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((header) => header.split(";")[0] ?? "")
    .filter(Boolean)
    .join("; ");
}

/** The session cookie of a real sign-in, as the sign-in form would get it. */
export async function signIn(origin: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${origin}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${origin}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(csrf), origin },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${origin}/audit` }),
  });
  const cookie = cookiesOf(response);
  if (response.status !== 302 || !cookie.includes("authjs.session-token=")) throw new Error(`sign-in answered ${response.status} without a session cookie`);
  return cookie;
}

interface OneRequest {
  ttfbMs: number;
  totalMs: number;
  body: string;
}

function getPage(url: URL, cookie: string): Promise<OneRequest> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let ttfbMs = Number.NaN;
    const chunks: Buffer[] = [];
    const req = request(url, { method: "GET", headers: { cookie, accept: "text/html" }, agent: false }, (response) => {
      response.on("data", (chunk: Buffer) => {
        if (Number.isNaN(ttfbMs)) ttfbMs = performance.now() - started;
        chunks.push(chunk);
      });
      response.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        if (response.statusCode !== 200) reject(new Error(`GET ${url.pathname} answered ${response.statusCode}: ${body.slice(0, 200)}`));
        else resolve({ ttfbMs, totalMs: performance.now() - started, body });
      });
      response.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

export async function measureAuditPage(options: AuditPageOptions): Promise<PageTimings> {
  const url = new URL("/audit", options.origin);
  if (!isLoopbackHost(url.hostname)) throw new Error(`the bench only measures loopback servers, not ${url.hostname}`);
  const cookie = await signIn(options.origin, options.email, options.password);
  for (let index = 0; index < options.warmupRequests; index++) await getPage(url, cookie);
  const ttfb: number[] = [];
  const total: number[] = [];
  let last: OneRequest | null = null;
  for (let index = 0; index < options.requests; index++) {
    last = await getPage(url, cookie);
    ttfb.push(last.ttfbMs);
    total.push(last.totalMs);
  }
  ttfb.sort((a, b) => a - b);
  total.sort((a, b) => a - b);
  return {
    requests: options.requests,
    ttfbP50Ms: percentile(ttfb, 0.5),
    ttfbP95Ms: percentile(ttfb, 0.95),
    totalP50Ms: percentile(total, 0.5),
    totalP95Ms: percentile(total, 0.95),
    rows: last ? last.body.split('data-testid="audit-row"').length - 1 : 0,
    bytes: last ? Buffer.byteLength(last.body) : 0,
  };
}
