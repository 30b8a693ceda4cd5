// Security headers (issue 9 item 7, SPEC §9) and redirect targets (item 6) over HTTP: every /v1
// answer carries nosniff and no-store; every page a CSP whose nonce is new on each request and which
// no other origin may frame; a redirect built from a request value stays a path on this console.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { BETA_HEADER, baseUrl, client, guardResponses, raw, recordingFetch, requiredEnv, signInOverHttp } from "./support";

guardResponses();

function expectApiHeaders(headers: Headers, label: string): void {
  expect(headers.get("x-content-type-options"), `${label}: nosniff`).toBe("nosniff");
  expect(headers.get("cache-control"), `${label}: no-store`).toBe("no-store");
}

describe("/v1 answers", () => {
  it("carry nosniff and no-store, errors included", async () => {
    const ok = await raw("GET", "/v1/vaults?limit=1");
    expect(ok.status).toBe(200);
    expectApiHeaders(ok.headers, "200 list");
    const answers: [string, Awaited<ReturnType<typeof raw>>, number][] = [
      ["401 without a key", await raw("GET", "/v1/vaults", { omitApiKey: true }), 401],
      ["400 without the beta header", await raw("GET", "/v1/vaults", { omitBeta: true }), 400],
      ["404 unknown route", await raw("GET", "/v1/no-such-route"), 404],
      ["404 unknown vault", await raw("GET", "/v1/vaults/vlt_doesnotexist"), 404],
      ["405 method", await raw("PUT", "/v1/vaults", { body: {} }), 405],
    ];
    for (const [label, answer, status] of answers) {
      expect(answer.status, label).toBe(status);
      expectApiHeaders(answer.headers, label);
    }
    const undecodable = await recordingFetch(`${baseUrl()}/v1/vaults/%E0%A4%A`, {
      headers: { "x-api-key": requiredEnv("CONSOLE_TEST_API_KEY"), "anthropic-beta": BETA_HEADER },
    });
    expect(undecodable.status).toBe(400);
    expectApiHeaders(undecodable.headers, "400 undecodable path");
  });

  it("are the same through the SDK's own requests", async () => {
    const { response } = await client().beta.vaults.list({ limit: 1 }).withResponse();
    expectApiHeaders(response.headers, "SDK list");
  });
});

function nonceOf(policy: string | null): string {
  const match = /script-src[^;]*'nonce-([A-Za-z0-9+/=]+)'/.exec(policy ?? "");
  expect(match, `a script nonce in ${policy}`).not.toBeNull();
  return match?.[1] ?? "";
}

describe("pages", () => {
  it("carry a CSP with a fresh nonce on every request, which Next puts on its scripts", async () => {
    const first = await recordingFetch(`${baseUrl()}/sign-in`);
    const second = await recordingFetch(`${baseUrl()}/sign-in`);
    const [firstNonce, secondNonce] = [nonceOf(first.headers.get("content-security-policy")), nonceOf(second.headers.get("content-security-policy"))];
    expect(firstNonce).not.toBe(secondNonce);
    expect(firstNonce.length).toBeGreaterThanOrEqual(16);
    const html = await first.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script, "every script carries this response's nonce").toContain(`nonce="${firstNonce}"`);
    await second.text();
  });

  it("refuse framing and sniffing, limit referrers and features, and send no HSTS over http", async () => {
    for (const path of ["/sign-in", "/vaults", "/setup", "/no-such-page"]) {
      const response = await recordingFetch(`${baseUrl()}${path}`, { redirect: "manual" });
      const policy = response.headers.get("content-security-policy") ?? "";
      for (const directive of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "'strict-dynamic'"]) {
        expect(policy, `${path}: ${directive}`).toContain(directive);
      }
      expect(policy, `${path}: no eval outside --dev`).not.toContain("unsafe-eval");
      expect(response.headers.get("x-frame-options"), path).toBe("DENY");
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(response.headers.get("referrer-policy"), path).toBe("same-origin");
      expect(response.headers.get("permissions-policy"), path).toContain("camera=()");
      expect(response.headers.get("strict-transport-security"), path).toBeNull();
      await response.text();
    }
  });
});

/** Odd `next` / callbackUrl values: each must end on a path of this console, never a 5xx. */
const ODD_TARGETS = [
  "/\t/127.0.0.1:3891/landed",
  "/\n/127.0.0.1:3891/landed",
  "/\\127.0.0.1:3891/landed",
  "//127.0.0.1:3891/landed",
  "/\\\\127.0.0.1:3891/landed",
  "/.//127.0.0.1:3891/landed",
  "javascript:alert(document.domain)",
  "http://127.0.0.1:3891/landed",
  "https://evil.example/landed",
  `/${"x".repeat(10_000)}`,
  "%",
  "/audit?x=1#frag",
];

/**
 * The location names this console: its path on the request's origin, or (Auth.js builds absolute
 * URLs from the host Next was started with) the same port on localhost.
 */
function expectConsolePath(location: string | null, label: string): void {
  expect(location, label).not.toBeNull();
  const resolved = new URL(location ?? "", baseUrl());
  const own = new URL(baseUrl());
  expect([own.origin, `http://localhost:${own.port}`], `${label} → ${location}`).toContain(resolved.origin);
  expect(resolved.port, label).toBe(own.port);
  expect(location ?? "", label).not.toContain("3891");
}

describe("redirect targets", () => {
  let sessionCookie = "";

  beforeAll(async () => {
    const { cookies } = await signInOverHttp({ callbackUrl: "/vaults" });
    const session = cookies.get("authjs.session-token");
    sessionCookie = session ? `authjs.session-token=${session.value}` : "";
    expect(sessionCookie).not.toBe("");
  });

  afterAll(() => {
    sessionCookie = "";
  });

  it("the sign-in page sends a signed-in visitor only to a path of this console", async () => {
    for (const target of ODD_TARGETS) {
      const response = await recordingFetch(`${baseUrl()}/sign-in?next=${encodeURIComponent(target)}`, {
        redirect: "manual",
        headers: { cookie: sessionCookie },
      });
      expect(response.status, JSON.stringify(target)).toBe(307);
      expectConsolePath(response.headers.get("location"), JSON.stringify(target));
      await response.text();
    }
    const kept = await recordingFetch(`${baseUrl()}/sign-in?next=${encodeURIComponent("/audit?x=1")}`, {
      redirect: "manual",
      headers: { cookie: sessionCookie },
    });
    expect(kept.headers.get("location")).toBe("/audit?x=1");
  });

  it("renders the sign-in form for any next value, keeping only a safe one", async () => {
    for (const target of ODD_TARGETS) {
      const response = await recordingFetch(`${baseUrl()}/sign-in?next=${encodeURIComponent(target)}`);
      expect(response.status, JSON.stringify(target)).toBe(200);
      const html = await response.text();
      // The page's own URL is echoed in Next's payload; the form's hidden next field must be safe.
      const hidden = /<input type="hidden" name="next" value="([^"]*)"/.exec(html)?.[1];
      if (hidden !== undefined) expect(hidden, JSON.stringify(target)).toMatch(/^\/(?![\/\\])/);
      expect(hidden ?? "", JSON.stringify(target)).not.toContain("3891");
    }
    const raw = await recordingFetch(`${baseUrl()}/sign-in?next=/%0A/x&next=%`);
    expect(raw.status).toBe(200);
    await raw.text();
  });

  it("Auth.js follows only a callbackUrl on this console", async () => {
    for (const target of ODD_TARGETS) {
      const { response } = await signInOverHttp({ callbackUrl: target });
      expect(response.status, JSON.stringify(target)).toBe(302);
      expectConsolePath(response.headers.get("location"), JSON.stringify(target));
      await response.text();
    }
  });

  it("a signed-out visitor of a deep link is sent to sign in with it as next", async () => {
    const response = await recordingFetch(`${baseUrl()}/audit?actor=x`, { redirect: "manual" });
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe(`/sign-in?next=${encodeURIComponent("/audit?actor=x")}`);
    await response.text();
  });
});
