import { describe, expect, it } from "vitest";
import {
  applyMetadataPatch,
  canonicalUrl,
  displayNameSchema,
  httpUrlProblem,
  isBareHost,
  metadataPatchSchema,
  metadataSchema,
  storedMetadata,
} from "@/lib/validation/common";

function pairs(count: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, index) => [`key${index}`, `value${index}`]));
}

function messages(result: { success: boolean; error?: { issues: { message: string }[] } }): string[] {
  return result.error?.issues.map((issue) => issue.message) ?? [];
}

describe("displayNameSchema", () => {
  it("trims the name", () => {
    expect(displayNameSchema.parse("  Production keys \n")).toBe("Production keys");
  });

  it("accepts 1 and 255 characters", () => {
    expect(displayNameSchema.parse("a")).toBe("a");
    expect(displayNameSchema.parse("n".repeat(255))).toHaveLength(255);
  });

  it("counts the length after trimming", () => {
    expect(displayNameSchema.parse(`  ${"n".repeat(255)}  `)).toHaveLength(255);
  });

  it.each([
    ["empty", ""],
    ["whitespace only", " \t\n "],
    ["256 characters", "n".repeat(256)],
  ])("rejects a %s name", (_label, value) => {
    expect(displayNameSchema.safeParse(value).success).toBe(false);
  });

  it.each([null, 42, ["name"], { name: "x" }])("rejects the non-string %j", (value) => {
    expect(messages(displayNameSchema.safeParse(value))).toEqual(["must be a string"]);
  });
});

describe("metadataSchema", () => {
  it("accepts an empty object and 16 pairs", () => {
    expect(metadataSchema.parse({})).toEqual({});
    expect(metadataSchema.parse(pairs(16))).toEqual(pairs(16));
  });

  it("rejects 17 pairs, saying how many it got", () => {
    expect(messages(metadataSchema.safeParse(pairs(17)))).toEqual(["at most 16 pairs are allowed (got 17)"]);
  });

  it("accepts a 64-character key and rejects a 65-character one", () => {
    expect(metadataSchema.safeParse({ ["k".repeat(64)]: "v" }).success).toBe(true);
    const result = metadataSchema.safeParse({ ["k".repeat(65)]: "v" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["k".repeat(65)]);
  });

  it("rejects an empty key", () => {
    expect(messages(metadataSchema.safeParse({ "": "v" }))).toEqual(["metadata keys must not be empty"]);
  });

  it("accepts a 512-character value and rejects a 513-character one", () => {
    expect(metadataSchema.safeParse({ team: "v".repeat(512) }).success).toBe(true);
    const result = metadataSchema.safeParse({ team: "v".repeat(513) });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["team"]);
    expect(result.error?.issues[0]?.message).toMatch(/512/);
  });

  it.each([42, null, true, ["a"], { nested: "x" }])("rejects the non-string value %j", (value) => {
    const result = metadataSchema.safeParse({ team: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["team"]);
  });

  it.each([null, "text", ["a", "b"]])("rejects %j as metadata", (value) => {
    expect(metadataSchema.safeParse(value).success).toBe(false);
  });
});

describe("metadataPatchSchema", () => {
  it("accepts strings and nulls", () => {
    expect(metadataPatchSchema.parse({ keep: "x", drop: null })).toEqual({ keep: "x", drop: null });
  });

  it("applies the key and value limits", () => {
    expect(metadataPatchSchema.safeParse({ ["k".repeat(65)]: null }).success).toBe(false);
    expect(metadataPatchSchema.safeParse({ "": "v" }).success).toBe(false);
    expect(metadataPatchSchema.safeParse({ team: "v".repeat(513) }).success).toBe(false);
  });

  it("rejects values that are neither strings nor null", () => {
    expect(metadataPatchSchema.safeParse({ team: 1 }).success).toBe(false);
    expect(metadataPatchSchema.safeParse({ team: undefined }).success).toBe(false);
  });
});

describe("applyMetadataPatch", () => {
  const current = { team: "research", tier: "gold", region: "eu" };

  it("upserts strings, deletes nulls and keeps omitted keys", () => {
    expect(applyMetadataPatch(current, { tier: "platinum", region: null, owner: "ada" })).toEqual({
      team: "research",
      tier: "platinum",
      owner: "ada",
    });
  });

  it("ignores deleting a key that is not there", () => {
    expect(applyMetadataPatch(current, { missing: null })).toEqual(current);
  });

  it("returns the metadata unchanged without a patch", () => {
    expect(applyMetadataPatch(current, null)).toEqual(current);
    expect(applyMetadataPatch(current, undefined)).toEqual(current);
    expect(applyMetadataPatch(current, {})).toEqual(current);
  });

  it("does not modify the metadata it was given", () => {
    const before = { ...current };
    applyMetadataPatch(current, { team: null, extra: "x" });
    expect(current).toEqual(before);
  });
});

describe("storedMetadata", () => {
  it("keeps string values only", () => {
    expect(storedMetadata({ a: "x", b: 1, c: null })).toEqual({ a: "x" });
  });

  it.each([null, undefined, "text", ["a"]])("reads %j as empty metadata", (value) => {
    expect(storedMetadata(value)).toEqual({});
  });
});

describe("isBareHost", () => {
  it.each(["example.com", "api.example.com", "localhost", "Example.COM", "a-b.example", "x".repeat(63) + ".com"])("accepts the hostname %s", (host) => {
    expect(isBareHost(host, { wildcard: false })).toBe(true);
  });

  it.each(["10.0.0.1", "192.168.1.255", "0.0.0.0", "255.255.255.255"])("accepts the IPv4 address %s", (host) => {
    expect(isBareHost(host, { wildcard: false })).toBe(true);
  });

  it("accepts a *. wildcard only when wildcards are allowed", () => {
    expect(isBareHost("*.example.com", { wildcard: true })).toBe(true);
    expect(isBareHost("*.example.com", { wildcard: false })).toBe(false);
  });

  it.each(["*", "*.", "**.example.com", "*example.com", "api.*.example.com", "example.*"])("rejects the malformed wildcard %s", (host) => {
    expect(isBareHost(host, { wildcard: true })).toBe(false);
  });

  it.each([
    ["a port", "example.com:443"],
    ["a scheme", "https://example.com"],
    ["a path", "example.com/mcp"],
    ["a bracketed IPv6 address", "[::1]"],
    ["an IPv6 address", "2001:db8::1"],
    ["a trailing dot", "example.com."],
    ["a label starting with -", "-bad.example.com"],
    ["a label ending with -", "bad-.example.com"],
    ["an empty label", "api..example.com"],
    ["an empty string", ""],
    ["a space", "exa mple.com"],
    ["an underscore", "my_host.example.com"],
    ["credentials", "user@example.com"],
    ["a 64-character label", "x".repeat(64) + ".com"],
    ["an IPv4 address out of range", "256.1.1.1"],
    ["an IPv4 address with a port", "10.0.0.1:80"],
    ["a numeric last label", "1.2.3"],
  ])("rejects a host with %s", (_label, host) => {
    expect(isBareHost(host, { wildcard: true })).toBe(false);
  });

  it("rejects names longer than 253 characters", () => {
    const label = "a".repeat(49);
    const name = Array.from({ length: 6 }, () => label).join("."); // 299 characters
    expect(isBareHost(name, { wildcard: false })).toBe(false);
  });
});

describe("httpUrlProblem", () => {
  it.each(["https://example.com/mcp", "http://localhost:8080/sse", "https://example.com/path?query=1"])("accepts %s", (url) => {
    expect(httpUrlProblem(url)).toBeNull();
  });

  it("rejects relative URLs", () => {
    expect(httpUrlProblem("/mcp")).toBe("must be an absolute URL");
    expect(httpUrlProblem("example.com/mcp")).toBe("must be an absolute URL");
  });

  it.each(["ftp://example.com", "javascript:alert(1)", "file:///etc/passwd", "ws://example.com"])("rejects the non-http URL %s", (url) => {
    expect(httpUrlProblem(url)).toBe("must be an http or https URL");
  });

  it("rejects credentials in the URL", () => {
    expect(httpUrlProblem("https://user:pass@example.com/")).toBe("must not contain credentials");
    expect(httpUrlProblem("https://token@example.com/")).toBe("must not contain credentials");
  });

  it("accepts 2047 characters and rejects 2048", () => {
    const base = "https://example.com/";
    expect(httpUrlProblem(base + "a".repeat(2047 - base.length))).toBeNull();
    expect(httpUrlProblem(base + "a".repeat(2048 - base.length))).toMatch(/2047/);
  });
});

describe("canonicalUrl", () => {
  it("lowercases scheme and host, drops the default port and the trailing slash", () => {
    expect(canonicalUrl("https://Example.COM:443/mcp/")).toBe(canonicalUrl("https://example.com/mcp"));
    expect(canonicalUrl("HTTPS://Example.COM:443/mcp/")).toBe("https://example.com/mcp");
  });

  it("keeps a non-default port", () => {
    expect(canonicalUrl("https://example.com:8443/mcp")).toBe("https://example.com:8443/mcp");
    expect(canonicalUrl("https://example.com:8443/mcp")).not.toBe(canonicalUrl("https://example.com/mcp"));
  });

  it("treats the root path with and without a slash alike", () => {
    expect(canonicalUrl("https://example.com/")).toBe(canonicalUrl("https://example.com"));
  });

  it("keeps the query and drops the fragment", () => {
    expect(canonicalUrl("https://example.com/mcp?tenant=a#section")).toBe("https://example.com/mcp?tenant=a");
    expect(canonicalUrl("https://example.com/mcp?tenant=a")).not.toBe(canonicalUrl("https://example.com/mcp?tenant=b"));
  });

  it("keeps the case of the path", () => {
    expect(canonicalUrl("https://example.com/MCP")).toBe("https://example.com/MCP");
    expect(canonicalUrl("https://example.com/MCP")).not.toBe(canonicalUrl("https://example.com/mcp"));
  });

  it("keeps http and https apart", () => {
    expect(canonicalUrl("http://example.com/mcp")).not.toBe(canonicalUrl("https://example.com/mcp"));
  });
});
