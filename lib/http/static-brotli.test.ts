import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { brotliDecompressSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptsBrotli, createStaticBrotli, precompressStatic, staticFileFor } from "@/lib/http/static-brotli";

const CHUNK = `globalThis.chunk = ${JSON.stringify("console ".repeat(400))};\n`;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

describe("static files precompressed with brotli", () => {
  let root: string;
  let staticDirectory: string;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), "static-brotli-"));
    staticDirectory = path.join(root, ".next", "static");
    mkdirSync(path.join(staticDirectory, "chunks"), { recursive: true });
    writeFileSync(path.join(staticDirectory, "chunks", "app.js"), CHUNK);
    writeFileSync(path.join(staticDirectory, "chunks", "tiny.js"), "1;");
    writeFileSync(path.join(staticDirectory, "chunks", "font.woff2"), CHUNK);
    // A file beside the static directory, with a .br of its own: never reachable.
    writeFileSync(path.join(root, ".next", "secret.js"), CHUNK);
    writeFileSync(path.join(root, ".next", "secret.js.br"), "not for clients");
    expect(precompressStatic(staticDirectory)).toBe(1);
    expect(precompressStatic(staticDirectory)).toBe(0);
    const serveBrotli = createStaticBrotli(staticDirectory);
    // Stands in for Next: whatever the hook leaves, answered plainly.
    server = createServer((request, response) => {
      if (serveBrotli(request, response)) return;
      response.writeHead(299, { "content-type": "text/plain" }).end("next");
    });
    await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((closed) => server.close(closed));
    rmSync(root, { recursive: true, force: true });
  });

  const get = (pathname: string, acceptEncoding?: string, method = "GET") =>
    new Promise<Reply>((resolve, reject) => {
      const headers = acceptEncoding === undefined ? {} : { "accept-encoding": acceptEncoding };
      const outgoing = httpRequest({ host: "127.0.0.1", port, path: pathname, method, headers }, (response) => {
        const parts: Buffer[] = [];
        response.on("data", (part: Buffer) => parts.push(part));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(parts) }));
      });
      outgoing.on("error", reject);
      outgoing.end();
    });

  it("sends a chunk's .br to a client that takes br, with its type, vary and immutable caching", async () => {
    const reply = await get("/_next/static/chunks/app.js", "gzip, deflate, br, zstd");
    expect(reply.status).toBe(200);
    expect(reply.headers).toMatchObject({
      "content-encoding": "br",
      "content-type": "application/javascript; charset=UTF-8",
      vary: "Accept-Encoding",
      "cache-control": "public, max-age=31536000, immutable",
    });
    expect(Number(reply.headers["content-length"])).toBe(reply.body.length);
    expect(reply.body.length).toBeLessThan(CHUNK.length / 10);
    expect(brotliDecompressSync(reply.body).toString()).toBe(CHUNK);
    const head = await get("/_next/static/chunks/app.js?dpl=1", "br", "HEAD");
    expect(head.headers["content-encoding"]).toBe("br");
    expect(head.body.length).toBe(0);
  });

  it("leaves every other request to Next: no br accepted, br refused by q=0, no .br, other paths and methods", async () => {
    for (const acceptEncoding of [undefined, "gzip, deflate", "identity", "br;q=0, gzip", "brotli"]) {
      const reply = await get("/_next/static/chunks/app.js", acceptEncoding);
      expect(reply.status, String(acceptEncoding)).toBe(299);
    }
    for (const pathname of ["/_next/static/chunks/tiny.js", "/_next/static/chunks/font.woff2", "/_next/static/chunks/missing.js", "/vaults", "/_next/image"]) {
      expect((await get(pathname, "br")).status, pathname).toBe(299);
    }
    expect((await get("/_next/static/chunks/app.js", "br", "POST")).status).toBe(299);
  });

  it("never serves a file outside the static directory", async () => {
    for (const pathname of [
      "/_next/static/../secret.js",
      "/_next/static/%2e%2e/secret.js",
      "/_next/static/chunks/%2E%2E%2F..%2Fsecret.js",
      "/_next/static/%2fetc/x.js",
    ]) {
      const reply = await get(pathname, "br");
      expect(reply.status, pathname).toBe(299);
      expect(reply.body.toString()).toBe("next");
    }
    expect(staticFileFor(staticDirectory, "/_next/static/%2e%2e/secret.js")).toBeNull();
    expect(staticFileFor(staticDirectory, "/_next/static/%E0%A4%A.js")).toBeNull();
    expect(staticFileFor(staticDirectory, "/_next/static/chunks/app.js")).toBe(path.join(staticDirectory, "chunks", "app.js"));
    expect(existsSync(path.join(root, ".next", "secret.js.br"))).toBe(true);
  });

  it("reads Accept-Encoding's qualities", () => {
    expect(acceptsBrotli("gzip, deflate, br, zstd")).toBe(true);
    expect(acceptsBrotli("BR;q=0.5")).toBe(true);
    expect(acceptsBrotli(["gzip", "br"])).toBe(true);
    expect(acceptsBrotli("br;q=0")).toBe(false);
    expect(acceptsBrotli("br; q=0.0")).toBe(false);
    expect(acceptsBrotli("gzip")).toBe(false);
    expect(acceptsBrotli(undefined)).toBe(false);
  });
});
