import { describe, expect, it } from "vitest";
import { boundaryBaseUrl } from "@/lib/boundary/placeholders";

describe("boundaryBaseUrl", () => {
  it("is the console's own origin without a port of the boundary's own", () => {
    expect(boundaryBaseUrl("https://console.example.com/", "sesn_1", 0)).toBe("https://console.example.com/boundary/sesn_1");
  });

  it("is plain http on the same host at CONSOLE_BOUNDARY_PORT, IPv6 hosts in brackets", () => {
    expect(boundaryBaseUrl("https://console.example.com:8443", "sesn_1", 3129)).toBe("http://console.example.com:3129/boundary/sesn_1");
    expect(boundaryBaseUrl("http://[::1]:3000", "sesn_1", 3129)).toBe("http://[::1]:3129/boundary/sesn_1");
  });
});
