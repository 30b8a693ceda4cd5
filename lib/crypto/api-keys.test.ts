import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { API_KEY_PATTERN, apiKeyDisplayPrefix, generateApiKey, hashApiKey } from "@/lib/crypto/api-keys";

describe("generateApiKey", () => {
  it("makes an s0_ key of at least 32 URL-safe characters", () => {
    const key = generateApiKey();
    expect(key.startsWith("s0_")).toBe(true);
    expect(key.slice(3)).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(key).toMatch(API_KEY_PATTERN);
  });

  it("carries 32 random bytes (43 base64url characters, no padding)", () => {
    const key = generateApiKey();
    expect(key.slice(3)).toHaveLength(43);
    expect(key).not.toContain("=");
    expect(Buffer.from(key.slice(3), "base64url")).toHaveLength(32);
  });

  it("never repeats a key", () => {
    const keys = new Set(Array.from({ length: 1000 }, generateApiKey));
    expect(keys.size).toBe(1000);
  });
});

describe("API_KEY_PATTERN", () => {
  it.each([
    ["no prefix", "abcdefghijklmnopqrstuvwxyz0123456789"],
    ["wrong prefix", "sk_abcdefghijklmnopqrstuvwxyz0123456789"],
    ["31 characters after the prefix", `s0_${"a".repeat(31)}`],
    ["a character outside base64url", `s0_${"a".repeat(31)}+`],
    ["whitespace", `s0_${"a".repeat(32)} `],
  ])("rejects %s", (_label, value) => {
    expect(value).not.toMatch(API_KEY_PATTERN);
  });

  it("accepts exactly 32 URL-safe characters after the prefix", () => {
    expect(`s0_${"aZ0_-".repeat(6)}ab`).toMatch(API_KEY_PATTERN);
  });
});

describe("hashApiKey", () => {
  it("is the hex SHA-256 of the key", () => {
    const key = generateApiKey();
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(key)).toBe(createHash("sha256").update(key).digest("hex"));
  });

  it("is stable for a key and differs between keys", () => {
    const key = generateApiKey();
    expect(hashApiKey(key)).toBe(hashApiKey(key));
    expect(hashApiKey(key)).not.toBe(hashApiKey(generateApiKey()));
  });
});

describe("apiKeyDisplayPrefix", () => {
  it("shows s0_ plus 7 characters and no more", () => {
    const key = generateApiKey();
    const prefix = apiKeyDisplayPrefix(key);
    expect(prefix).toHaveLength(10);
    expect(key.startsWith(prefix)).toBe(true);
    expect(prefix.startsWith("s0_")).toBe(true);
  });
});
