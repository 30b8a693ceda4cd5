import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { answerHeaders, boundaryPath, upstreamUrl } from "@/lib/boundary/base-url-door";

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

describe("answerHeaders", () => {
  const TOKEN = "sk-ant-test-token-0123456789";
  const answer = (headers: IncomingMessage["headers"]) => ({ headers }) as IncomingMessage;

  it("carries the console's request id unless the upstream sent its own, and masks the token in any header", () => {
    const plain = answerHeaders(answer({ "content-type": "application/json", "content-length": "12" }), TOKEN, "req_console");
    expect(plain).toEqual({ headers: { "request-id": "req_console", "content-type": "application/json", "content-length": "12" }, keepsLength: true });

    const upstream = answerHeaders(answer({ "request-id": "req_upstream", "x-echo": `key ${TOKEN}`, "set-cookie": ["a=b"] }), TOKEN, "req_console");
    expect(upstream.headers["request-id"]).toBe("req_upstream");
    expect(upstream.headers["x-echo"]).not.toContain(TOKEN);
    expect(upstream.headers).not.toHaveProperty("set-cookie");
  });

  it("drops the length of a body it will decompress, which then goes chunked", () => {
    const compressed = answerHeaders(answer({ "content-encoding": "gzip", "content-length": "40" }), TOKEN, "req_console");
    expect(compressed).toEqual({ headers: { "request-id": "req_console" }, keepsLength: false });
  });
});
