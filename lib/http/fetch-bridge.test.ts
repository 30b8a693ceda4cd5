import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { readJsonBody } from "@/lib/api/body";
import { discardUnreadBody, responseText, textResponse, toFetchRequest, writeFetchResponse } from "@/lib/http/fetch-bridge";

let server: Server | null = null;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A loopback server that answers each request with `handle`'s Response through the bridge. */
async function serve(handle: (request: Request) => Promise<Response>): Promise<string> {
  server = createServer((incoming, outgoing) => {
    const aborter = new AbortController();
    outgoing.once("close", () => {
      if (!outgoing.writableFinished) aborter.abort();
    });
    outgoing.setHeader("request-id", "req_from_server");
    // As lib/http/api-dispatch.ts does.
    const request = toFetchRequest(incoming, "http://127.0.0.1", aborter.signal);
    void handle(request).then(async (response) => {
      if (!(await discardUnreadBody(incoming, request))) outgoing.shouldKeepAlive = false;
      await writeFetchResponse(response, outgoing, incoming.method ?? "GET");
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** An event stream that has sent its first bytes and goes on producing until it is cancelled. */
function openStream(onCancel: () => void): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(": open\n\n"));
    },
    cancel: onCancel,
  });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
}

describe("the node:http ↔ Fetch bridge", () => {
  it("writes a whole body in one piece with its length, keeps the server's headers and every cookie", async () => {
    const base = await serve(async (request) => {
      const headers = new Headers({ "content-type": "application/json", "request-id": "req_from_handler", "content-length": "999" });
      headers.append("set-cookie", "a=1");
      headers.append("set-cookie", "b=2");
      return new Response(JSON.stringify({ path: new URL(request.url).pathname, query: new URL(request.url).search, seen: request.headers.get("x-test") }), {
        status: 201,
        headers,
      });
    });
    const response = await fetch(`${base}/v1/x?y=1`, { headers: { "x-test": "yes" } });
    const text = await response.text();
    expect(response.status).toBe(201);
    expect(JSON.parse(text)).toEqual({ path: "/v1/x", query: "?y=1", seen: "yes" });
    expect(response.headers.get("content-length")).toBe(String(Buffer.byteLength(text)));
    expect(response.headers.get("request-id")).toBe("req_from_server");
    expect(response.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
  });

  it("writes a text-backed answer from its string, byte-exact, and the Response still reads as usual elsewhere", async () => {
    const text = JSON.stringify({ name: "café ☕ 金庫", note: "\u2028" });
    const made = () => textResponse(text, { status: 202, headers: { "content-type": "application/json", "x-kind": "text" } });
    expect(responseText(made())).toBe(text);
    expect(await made().text()).toBe(text);
    expect(responseText(new Response(text))).toBeUndefined();

    const base = await serve(async () => made());
    const response = await fetch(`${base}/v1/text`);
    expect(response.status).toBe(202);
    expect(response.headers.get("x-kind")).toBe("text");
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("content-length")).toBe(String(Buffer.byteLength(text)));
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(text))).toBe(true);
    const head = await fetch(`${base}/v1/text`, { method: "HEAD" });
    expect(head.status).toBe(202);
    expect(await head.text()).toBe("");
  });

  it("streams a body still being produced, and cancels it and aborts the request's signal when the client goes", async () => {
    let cancelled = false;
    let aborted: Promise<void> = Promise.resolve();
    const base = await serve(async (request) => {
      aborted = new Promise((resolve) => request.signal.addEventListener("abort", () => resolve()));
      return openStream(() => (cancelled = true));
    });
    const firstBytes = await new Promise<string>((resolve, reject) => {
      const client = httpRequest(`${base}/v1/stream`, (response) => {
        response.once("data", (chunk: Buffer) => {
          resolve(chunk.toString());
          client.destroy();
        });
      });
      client.on("error", () => undefined);
      client.once("error", reject);
      client.end();
    });
    expect(firstBytes).toBe(": open\n\n");
    await aborted;
    await expect.poll(() => cancelled).toBe(true);
  });

  it("cancels a stream whose client went before the handler answered, rather than leave its producer running", async () => {
    let cancelled = false;
    let clientGone: () => void = () => undefined;
    const gone = new Promise<void>((resolve) => (clientGone = resolve));
    const base = await serve(async () => {
      await gone;
      return openStream(() => (cancelled = true));
    });
    await new Promise<void>((resolve) => {
      const client = httpRequest(`${base}/v1/stream`);
      client.on("error", () => undefined);
      client.end();
      // Once the request has reached the server, the client hangs up; then the handler answers.
      setTimeout(() => {
        client.destroy();
        setTimeout(() => {
          clientGone();
          resolve();
        }, 50);
      }, 50);
    });
    await expect.poll(() => cancelled).toBe(true);
  });

  it("streams a request body in, and a handler that stops reading past its limit still gets its answer out", async () => {
    const base = await serve(async (request) => {
      try {
        const body = (await readJsonBody(request)) as { size: number };
        return Response.json({ size: body.size });
      } catch {
        return Response.json({ refused: true }, { status: 413 });
      }
    });
    const small = await fetch(`${base}/v1/body`, { method: "POST", body: JSON.stringify({ size: 3 }) });
    expect(await small.json()).toEqual({ size: 3 });
    const huge = await fetch(`${base}/v1/body`, { method: "POST", body: `{"pad":"${"x".repeat(3 * 1024 * 1024)}"}` });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toEqual({ refused: true });
    const empty = await fetch(`${base}/v1/body`, { method: "POST" });
    expect(await empty.json()).toEqual({});
  });

  it("gets the answer of a handler that never reads the body out while the client is still sending it", async () => {
    const base = await serve(async () => Response.json({ refused: true }, { status: 413 }));
    // Twice: the unread body must be discarded for the kept-alive connection to take the next request.
    for (const attempt of [1, 2]) {
      const huge = await fetch(`${base}/v1/body`, { method: "POST", body: "x".repeat(3 * 1024 * 1024), signal: AbortSignal.timeout(20_000) });
      expect(huge.status, `attempt ${attempt}`).toBe(413);
      expect(await huge.json()).toEqual({ refused: true });
    }
    // The next request on the kept-alive connection is served, not reset.
    expect((await fetch(`${base}/v1/body`, { method: "POST", body: "{}" })).status).toBe(413);
  });
});
