import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce, pageSecurityHeaders } from "@/lib/http/security-headers";

describe("page security headers", () => {
  it("allow only the nonce's scripts, no eval outside --dev, and no framing", () => {
    const nonce = newNonce();
    const policy = contentSecurityPolicy(nonce, { dev: false, https: false });
    expect(policy).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
    for (const directive of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "form-action 'self'"]) expect(policy).toContain(directive);
    expect(policy).not.toContain("unsafe-eval");
    expect(policy).not.toContain("unsafe-inline");
    expect(contentSecurityPolicy(nonce, { dev: true, https: false })).toContain("'unsafe-eval'");
    expect(newNonce()).not.toBe(nonce);
  });

  it("send HSTS only over https", () => {
    const plain = pageSecurityHeaders("n", { dev: false, https: false });
    expect(plain["strict-transport-security"]).toBeUndefined();
    expect(plain).toMatchObject({ "x-content-type-options": "nosniff", "referrer-policy": "same-origin", "x-frame-options": "DENY" });
    expect(plain["permissions-policy"]).toContain("camera=()");
    expect(pageSecurityHeaders("n", { dev: false, https: true })["strict-transport-security"]).toMatch(/^max-age=\d+/);
  });
});
