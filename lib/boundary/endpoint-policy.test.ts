import { describe, expect, it } from "vitest";
import {
  addressRefusal,
  checkEndpoint,
  NO_PRIVATE_ENDPOINTS,
  parseEndpointUrl,
  parsePrivateEndpoints,
  resolvedAddressRefusal,
} from "@/lib/boundary/endpoint-policy";

function allowList(value: string) {
  const parsed = parsePrivateEndpoints(value);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.endpoints;
}

function problemOf(raw: string, privateEndpoints = NO_PRIVATE_ENDPOINTS): string {
  const checked = checkEndpoint(raw, privateEndpoints);
  if (checked.ok) throw new Error(`${JSON.stringify(raw)} was accepted as ${checked.normalized}`);
  return checked.problem;
}

function normalized(raw: string, privateEndpoints = NO_PRIVATE_ENDPOINTS): string {
  const checked = checkEndpoint(raw, privateEndpoints);
  if (!checked.ok) throw new Error(`${JSON.stringify(raw)} was refused: ${checked.problem}`);
  return checked.normalized;
}

describe("parseEndpointUrl: one normalized spelling", () => {
  it.each([
    ["https://api.anthropic.com", "https://api.anthropic.com"],
    ["https://api.anthropic.com/", "https://api.anthropic.com"],
    ["HTTPS://API.Anthropic.COM//", "https://api.anthropic.com"],
    ["https://gateway.example.com:443/anthropic/", "https://gateway.example.com/anthropic"],
    ["https://gateway.example.com:8443/a/./b/../c", "https://gateway.example.com:8443/a/c"],
    ["https://bücher.example/v1", "https://xn--bcher-kva.example/v1"],
  ])("%s → %s", (raw, expected) => {
    expect(normalized(raw)).toBe(expected);
  });

  it.each([
    ["a leading space", " https://api.anthropic.com"],
    ["a trailing newline", "https://api.anthropic.com\n"],
    ["a tab inside", "https://api.anthr\topic.com"],
    ["a backslash before @", "https://\\@evil.example.com"],
    ["a backslash as a slash", "https:\\\\evil.example.com"],
    ["a zero-width space", "https://api.anthropic.com\u200b/v1"],
    ["a no-break space", "https://api.anthropic.com/\u00a0"],
    ["a DEL", "https://api.anthropic.com/\u007f"],
  ])("refuses %s instead of fixing it", (_label, raw) => {
    const parsed = parseEndpointUrl(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatch(/whitespace, control characters or backslashes/);
  });

  it.each([
    ["userinfo", "https://user:pw@gateway.example.com", /credentials/],
    ["a user", "https://sk-ant-x@gateway.example.com", /credentials/],
    ["an empty userinfo", "https://@gateway.example.com", /credentials/],
    ["a query", "https://gateway.example.com/?a=1", /query/],
    ["an empty query", "https://gateway.example.com/?", /query/],
    ["a fragment", "https://gateway.example.com/#x", /fragment/],
    ["an empty fragment", "https://gateway.example.com#", /fragment/],
    ["no slashes", "https:gateway.example.com", /https:\/\//],
    ["three slashes", "https:///gateway.example.com", /https:\/\//],
    ["another scheme", "ftp://gateway.example.com", /https/],
    ["no scheme", "gateway.example.com", /absolute https URL/],
    ["an over-long URL", `https://gateway.example.com/${"a".repeat(2048)}`, /2047/],
  ])("refuses %s", (_label, raw, expected) => {
    const parsed = parseEndpointUrl(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatch(expected);
  });
});

describe("checkEndpoint: destinations", () => {
  it.each([
    "http://api.anthropic.com",
    "https://169.254.169.254/latest/meta-data",
    "https://10.0.0.5",
    "https://172.16.0.1",
    "https://172.31.255.255",
    "https://192.168.1.1",
    "https://100.64.0.1",
    "https://100.100.100.200",
    "https://0.0.0.0",
    "https://0.1.2.3",
    "https://127.0.0.1",
    "http://127.0.0.2:5432",
    "https://224.0.0.1",
    "https://255.255.255.255",
    "https://[::1]",
    "https://[::]",
    "https://[::ffff:127.0.0.1]",
    "https://[::ffff:a9fe:a9fe]",
    "https://[::127.0.0.1]",
    "https://[64:ff9b::10.0.0.1]",
    "https://[2002:7f00:1::]",
    "https://[fd00:ec2::254]",
    "https://[fc00::1]",
    "https://[fe80::1]",
    "https://[ff02::1]",
    "https://[2001:db8::1]",
    "https://[2001::1]",
    "https://localhost",
    "https://LOCALHOST.",
    "https://api.localhost",
    "https://metadata.google.internal/computeMetadata/v1",
    "https://metadata.goog",
    "https://metadata",
    "https://printer.local",
    "https://router.home.arpa",
    "https://intranet",
  ])("refuses %s", (raw) => {
    expect(problemOf(raw)).toMatch(/CONSOLE_PRIVATE_ENDPOINTS/);
  });

  it.each([
    ["decimal", "http://2130706433", "127.0.0.1"],
    ["hex", "https://0x7f.1", "127.0.0.1"],
    ["octal", "https://0177.0.0.1", "127.0.0.1"],
    ["short", "https://127.1", "127.0.0.1"],
    ["hex metadata", "https://0xa9fea9fe", "169.254.169.254"],
    ["percent-encoded", "https://%31%30.0.0.1", "10.0.0.1"],
  ])("sees through the %s IPv4 form (WHATWG URL normalizes it)", (_label, raw, canonical) => {
    expect(problemOf(raw)).toContain(canonical);
  });

  it.each(["https://api.anthropic.com", "https://8.8.8.8/v1", "https://[2606:4700::1111]", "https://gateway.example.com:8443/anthropic"])(
    "accepts the public %s",
    (raw) => {
      expect(checkEndpoint(raw, NO_PRIVATE_ENDPOINTS).ok).toBe(true);
    },
  );

  it("accepts a listed host on any port, over http too; a host:port entry only on its port", () => {
    const listed = allowList("127.0.0.1, gateway.internal:8443, [::1]:4000, localhost");
    expect(normalized("http://127.0.0.1:9000/proxy/", listed)).toBe("http://127.0.0.1:9000/proxy");
    expect(normalized("http://2130706433:9000", listed)).toBe("http://127.0.0.1:9000");
    expect(normalized("https://gateway.internal:8443", listed)).toBe("https://gateway.internal:8443");
    expect(problemOf("https://gateway.internal", listed)).toMatch(/local-only name/);
    expect(normalized("http://[::1]:4000", listed)).toBe("http://[::1]:4000");
    expect(problemOf("http://[::1]:4001", listed)).toMatch(/loopback/);
    expect(problemOf("http://127.0.0.2", listed)).toMatch(/loopback/);
    expect(normalized("http://localhost:3000", listed)).toBe("http://localhost:3000");
    // Listing one host does not open plain http to others.
    expect(problemOf("http://api.anthropic.com", listed)).toMatch(/must use https/);
  });
});

describe("addressRefusal: resolved addresses in every spelling", () => {
  it.each([
    ["127.0.0.1", /loopback/],
    ["::1", /loopback/],
    ["0:0:0:0:0:0:0:1", /loopback/],
    ["::ffff:127.0.0.1", /IPv4-mapped.*loopback/],
    ["::ffff:7f00:1", /IPv4-mapped.*loopback/],
    ["0:0:0:0:0:ffff:169.254.169.254", /IPv4-mapped.*link-local/],
    ["64:ff9b::a9fe:a9fe", /NAT64.*link-local/],
    ["64:ff9b:1::1", /local-use NAT64/],
    ["fe80::1%eth0", /link-local/],
    ["fd00:ec2::254", /unique-local/],
    ["100::1", /special-purpose/],
  ])("refuses %s", (address, expected) => {
    expect(addressRefusal(address)).toMatch(expected);
  });

  it.each(["8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"])("accepts %s", (address) => {
    expect(addressRefusal(address)).toBeNull();
  });

  it.each(["example.com", "1.2.3", "1:2:3:4:5:6:7:8:9", "::g", "1::2::3"])("%s is no address", (text) => {
    expect(addressRefusal(text)).toBeUndefined();
  });
});

describe("resolvedAddressRefusal", () => {
  const url = new URL("https://gateway.example.com");

  it("refuses a public name resolving to a refused address (rebinding)", () => {
    expect(resolvedAddressRefusal(url, "127.0.0.1", NO_PRIVATE_ENDPOINTS)).toMatch(/gateway\.example\.com resolved to 127\.0\.0\.1/);
    expect(resolvedAddressRefusal(url, "169.254.169.254", NO_PRIVATE_ENDPOINTS)).toMatch(/link-local/);
  });

  it("trusts what an allow-listed name resolves to, and an allow-listed address", () => {
    expect(resolvedAddressRefusal(url, "10.1.2.3", allowList("gateway.example.com"))).toBeNull();
    expect(resolvedAddressRefusal(url, "10.1.2.3", allowList("10.1.2.3:443"))).toBeNull();
    expect(resolvedAddressRefusal(url, "10.1.2.3", allowList("10.1.2.3:8443"))).toMatch(/private/);
    expect(resolvedAddressRefusal(url, "::1", allowList("[::1]"))).toBeNull();
  });
});

describe("parsePrivateEndpoints", () => {
  it("normalizes each entry as URL reads a host", () => {
    expect([...allowList(" 127.1 ,LOCALHOST:3000,[0:0::1]:80, gw.corp. ")]).toEqual(["127.0.0.1", "localhost:3000", "[::1]:80", "gw.corp"]);
    expect(allowList("").size).toBe(0);
  });

  it.each(["http://127.0.0.1", "127.0.0.1/x", "user@host", "::1", "host:0", "host:70000", "a b", "[::1"])("refuses %s", (entry) => {
    const parsed = parsePrivateEndpoints(entry);
    expect(parsed.ok).toBe(false);
  });
});
