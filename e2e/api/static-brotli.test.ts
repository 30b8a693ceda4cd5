// The console's static JavaScript as a browser gets it (lib/http/static-brotli.ts, hooked into
// scripts/start.ts): brotli to a client that takes it, Next's gzip or identity to one that does
// not, and nothing from outside the build's static directory.
import { request as httpRequest } from "node:http";
import { describe, expect, it } from "vitest";
import { baseUrl } from "./support";

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bytes: number;
}

/** Node's fetch decodes bodies and may add its own Accept-Encoding: a plain request sends exactly what we say. */
function rawGet(path: string, acceptEncoding: string | null): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const headers = acceptEncoding === null ? {} : { "accept-encoding": acceptEncoding };
    const outgoing = httpRequest(`${baseUrl()}${path}`, { headers }, (response) => {
      let bytes = 0;
      response.on("data", (part: Buffer) => (bytes += part.length));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, bytes }));
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}

describe("static chunks", () => {
  it("go out as brotli to Chromium, gzip to a gzip-only client, plain to one that asks for nothing", async () => {
    const signIn = await fetch(`${baseUrl()}/sign-in`);
    const html = await signIn.text();
    const chunks = [...html.matchAll(/\/_next\/static\/chunks\/[\w.~-]+\.js/g)].map((match) => match[0]);
    expect(chunks.length).toBeGreaterThan(3);
    // The biggest of them, so every encoding applies (tiny files go out plain).
    const sizes = await Promise.all(chunks.map(async (chunk) => ({ chunk, raw: await rawGet(chunk, null) })));
    const { chunk, raw } = sizes.sort((a, b) => b.raw.bytes - a.raw.bytes)[0] ?? { chunk: "", raw: null };
    expect(raw?.status).toBe(200);
    expect(raw?.headers["content-encoding"]).toBeUndefined();

    const brotli = await rawGet(chunk, "gzip, deflate, br, zstd");
    expect(brotli.status).toBe(200);
    expect(brotli.headers["content-encoding"]).toBe("br");
    expect(brotli.headers["content-type"]).toMatch(/^application\/javascript/);
    expect(brotli.headers.vary).toMatch(/accept-encoding/i);
    expect(brotli.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(brotli.headers["x-content-type-options"]).toBe("nosniff");

    const gzip = await rawGet(chunk, "gzip, deflate");
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(brotli.bytes).toBeLessThan(gzip.bytes);
    expect(gzip.bytes).toBeLessThan(raw?.bytes ?? 0);
  });

  it("never reach outside .next/static, whatever the encoding", async () => {
    for (const path of ["/_next/static/../../package.json", "/_next/static/%2e%2e/%2e%2e/package.json", "/_next/static/%2e%2e/BUILD_ID.js"]) {
      const response = await rawGet(path, "br");
      expect(response.headers["content-encoding"], path).not.toBe("br");
      expect(response.status, path).toBe(404);
    }
  });
});
