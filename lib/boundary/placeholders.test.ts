import { describe, expect, it } from "vitest";
import { boundaryBaseUrl } from "@/lib/boundary/placeholders";

describe("boundaryBaseUrl", () => {
  it("is the console's own origin without a port of the boundary's own", () => {
    expect(boundaryBaseUrl("https://console.example.com/", "sesn_1", { url: null, port: 0 })).toBe("https://console.example.com/boundary/sesn_1");
  });

  it("is the same host at CONSOLE_BOUNDARY_PORT for a console reached over http, IPv6 hosts in brackets", () => {
    expect(boundaryBaseUrl("http://console.internal:3000", "sesn_1", { url: null, port: 3129 })).toBe("http://console.internal:3129/boundary/sesn_1");
    expect(boundaryBaseUrl("http://[::1]:3000", "sesn_1", { url: null, port: 3129 })).toBe("http://[::1]:3129/boundary/sesn_1");
  });

  it("never sends the runtime of a console reached over https to plain http: it keeps the console's origin", () => {
    expect(boundaryBaseUrl("https://console.example.com:8443", "sesn_1", { url: null, port: 3129 })).toBe("https://console.example.com:8443/boundary/sesn_1");
  });

  it("is CONSOLE_BOUNDARY_URL whenever an operator named one, over the console's origin and the door's port alike", () => {
    const door = { url: "https://boundary.example.com", port: 3129 };
    expect(boundaryBaseUrl("https://console.example.com", "sesn_1", door)).toBe("https://boundary.example.com/boundary/sesn_1");
    expect(boundaryBaseUrl("http://console.internal:3000", "sesn_1", door)).toBe("https://boundary.example.com/boundary/sesn_1");
    expect(boundaryBaseUrl("https://console.example.com", "sesn_1", { url: "http://10.0.0.5:3129", port: 0 })).toBe("http://10.0.0.5:3129/boundary/sesn_1");
  });
});
