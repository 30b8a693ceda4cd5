import { describe, expect, it } from "vitest";
import { boundaryPath, upstreamUrl } from "@/lib/boundary/base-url-door";

describe("boundaryPath", () => {
  it("reads the session, the decoded segments after it and the query as sent", () => {
    expect(boundaryPath("/boundary/sesn_1/v1/models/claude%20x%2Fy?limit=2&tag=a%2Bb")).toEqual({
      sessionId: "sesn_1",
      path: ["v1", "models", "claude x/y"],
      search: "?limit=2&tag=a%2Bb",
    });
    expect(boundaryPath("/boundary/sesn_1")).toEqual({ sessionId: "sesn_1", path: [], search: "" });
    expect(boundaryPath("/boundary/sesn_1/v1//messages?")).toEqual({ sessionId: "sesn_1", path: ["v1", "", "messages"], search: "?" });
  });

  it("refuses dot segments, encoded or not, and paths that do not decode", () => {
    for (const url of ["/boundary/s/v1/../x", "/boundary/s/./v1", "/boundary/s/v1/%2e%2E/x", "/boundary/s/v1/%2E"]) {
      expect(boundaryPath(url), url).toMatch(/\. or \.\. segment/);
    }
    expect(boundaryPath("/boundary/s/v1/%zz")).toMatch(/percent-encoded/);
    // Dots inside a segment are a name, not a step up.
    expect(boundaryPath("/boundary/s/v1/models/claude-4..5")).toMatchObject({ path: ["v1", "models", "claude-4..5"] });
  });
});

describe("upstreamUrl", () => {
  const base = new URL("https://gateway.example/anthropic/");

  it("puts the path under the base URL's own path, each segment re-encoded", () => {
    expect(upstreamUrl(base, ["v1", "models", "claude x/y"], "?limit=2")?.href).toBe("https://gateway.example/anthropic/v1/models/claude%20x%2Fy?limit=2");
    expect(upstreamUrl(base, ["//evil.example", "v1"], "")?.href).toBe("https://gateway.example/anthropic/%2F%2Fevil.example/v1");
    expect(upstreamUrl(base, ["@evil.example", "v1"], "")?.origin).toBe("https://gateway.example");
  });
});
