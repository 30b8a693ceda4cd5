import { describe, expect, it } from "vitest";
import { checkTrustedProxyEntry, resolveClientAddress, TrustedProxies } from "@/lib/http/client-address";

describe("CONSOLE_TRUSTED_PROXIES entries", () => {
  it("accepts addresses and CIDR ranges of both families", () => {
    for (const entry of ["127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8", "0.0.0.0/0", "::ffff:10.0.0.1"]) expect(checkTrustedProxyEntry(entry)).toBeNull();
  });

  it("refuses anything else with the value named", () => {
    for (const entry of ["localhost", "10.0.0.0/33", "::1/129", "10.0.0.1/8/1", "10.0.0.0/x", "1.2.3", ""]) {
      expect(checkTrustedProxyEntry(entry)).toMatch(entry ? entry : /not an IP/);
    }
  });
});

describe("resolveClientAddress", () => {
  const none = new TrustedProxies([]);
  const proxies = new TrustedProxies(["127.0.0.1", "10.0.0.0/8"]);

  it("is the socket's peer without trusted proxies, whatever X-Forwarded-For says", () => {
    expect(resolveClientAddress("127.0.0.1", "203.0.113.9", none)).toBe("127.0.0.1");
    expect(resolveClientAddress("::ffff:127.0.0.1", undefined, none)).toBe("127.0.0.1");
    expect(resolveClientAddress(undefined, "203.0.113.9", none)).toBeUndefined();
  });

  it("ignores X-Forwarded-For from a peer that is not trusted", () => {
    expect(resolveClientAddress("192.0.2.1", "203.0.113.9", proxies)).toBe("192.0.2.1");
  });

  it("takes the right-most entry that is not a trusted proxy", () => {
    expect(resolveClientAddress("127.0.0.1", "203.0.113.9", proxies)).toBe("203.0.113.9");
    // The client wrote the left part itself: it means nothing.
    expect(resolveClientAddress("127.0.0.1", "1.1.1.1, 203.0.113.9, 10.1.2.3", proxies)).toBe("203.0.113.9");
    expect(resolveClientAddress("::ffff:10.0.0.5", ["1.1.1.1", "203.0.113.9,10.1.2.3"], proxies)).toBe("203.0.113.9");
    expect(resolveClientAddress("127.0.0.1", "[2001:db8::1]:443", proxies)).toBe("2001:db8::1");
    expect(resolveClientAddress("127.0.0.1", "203.0.113.9:5555", proxies)).toBe("203.0.113.9");
  });

  it("stops at an entry that is not an address, at the last trusted hop", () => {
    expect(resolveClientAddress("127.0.0.1", "203.0.113.9, garbage", proxies)).toBe("127.0.0.1");
    expect(resolveClientAddress("127.0.0.1", "garbage, 10.0.0.7", proxies)).toBe("10.0.0.7");
  });

  it("takes the left-most entry when every hop is a trusted proxy", () => {
    expect(resolveClientAddress("127.0.0.1", "10.0.0.9, 10.0.0.8", proxies)).toBe("10.0.0.9");
  });
});
