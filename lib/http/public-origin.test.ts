import { describe, expect, it } from "vitest";
import { originFrom } from "@/lib/http/public-origin";

describe("originFrom: one rule for the console's public origin", () => {
  it("CONSOLE_PUBLIC_URL wins over any header", () => {
    const headers = new Headers({ host: "127.0.0.1:3000", "x-forwarded-proto": "http", "x-forwarded-host": "proxy.example" });
    expect(originFrom(headers, "https://console.example")).toBe("https://console.example");
  });

  it("takes the forwarded proto and host (they only reach Next from a trusted proxy)", () => {
    const headers = new Headers({ host: "10.0.0.5:3000", "x-forwarded-proto": "https", "x-forwarded-host": "console.example" });
    expect(originFrom(headers, undefined)).toBe("https://console.example");
    expect(originFrom(new Headers({ host: "console.example", "x-forwarded-proto": "https, http" }), undefined)).toBe("https://console.example");
  });

  it("falls back to http and the Host header", () => {
    expect(originFrom(new Headers({ host: "127.0.0.1:3000" }), undefined)).toBe("http://127.0.0.1:3000");
    expect(originFrom(new Headers({ host: "[::1]:3000" }), undefined)).toBe("http://[::1]:3000");
  });

  it("ignores values that are not a proto or a host", () => {
    const headers = new Headers({ host: "127.0.0.1:3000", "x-forwarded-proto": "javascript", "x-forwarded-host": "evil.example/path" });
    expect(originFrom(headers, undefined)).toBe("http://127.0.0.1:3000");
    expect(originFrom(new Headers({ host: "user@evil.example" }), undefined)).toBe("http://127.0.0.1:3000");
  });
});
