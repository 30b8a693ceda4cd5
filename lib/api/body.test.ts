import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES, readJsonBody } from "@/lib/api/body";
import { ConsoleError } from "@/lib/errors";

const URL = "http://localhost/v1/vaults";

function post(body: BodyInit | null, headers: Record<string, string> = {}): Request {
  return new Request(URL, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
}

/** A body that arrives in chunks, without a Content-Length header. */
function streamed(chunkCount: number, chunkSize: number): Request {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === chunkCount) {
        controller.close();
        return;
      }
      sent += 1;
      controller.enqueue(new Uint8Array(chunkSize).fill(0x20));
    },
  });
  const init: RequestInit & { duplex: "half" } = { method: "POST", body: stream, duplex: "half" };
  return new Request(URL, init);
}

async function rejection(promise: Promise<unknown>): Promise<ConsoleError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ConsoleError);
  return error as ConsoleError;
}

describe("readJsonBody", () => {
  it("parses a JSON body", async () => {
    const body = { display_name: "Vault ✓", metadata: { team: "research" } };
    expect(await readJsonBody(post(JSON.stringify(body)))).toEqual(body);
  });

  it("returns non-object JSON as it is, for the schema to reject", async () => {
    expect(await readJsonBody(post("[1,2]"))).toEqual([1, 2]);
    expect(await readJsonBody(post("null"))).toBeNull();
  });

  it("reads a missing or blank body as {}", async () => {
    expect(await readJsonBody(new Request(URL, { method: "POST" }))).toEqual({});
    expect(await readJsonBody(post(""))).toEqual({});
    expect(await readJsonBody(post("  \n\t "))).toEqual({});
  });

  it("rejects malformed JSON without quoting the body", async () => {
    const secret = "sk-ant-api03-SECRETSECRETSECRET";
    const error = await rejection(readJsonBody(post(`{"auth":{"token":"${secret}"`)));
    expect(error.type).toBe("invalid_request_error");
    expect(error.status).toBe(400);
    expect(error.field).toBe("body");
    expect(error.message).toBe("body: is not valid JSON");
    expect(error.message).not.toContain(secret);
    expect(error.message).not.toContain("SECRET");
  });

  it.each(["{'single': 'quotes'}", '{"a":1,}', "undefined", "{"])("rejects %j as malformed", async (text) => {
    expect((await rejection(readJsonBody(post(text)))).type).toBe("invalid_request_error");
  });

  it("refuses a declared Content-Length over 1 MiB before reading", async () => {
    const request = post("{}", { "content-length": String(MAX_BODY_BYTES + 1) });
    const error = await rejection(readJsonBody(request));
    expect(error.type).toBe("request_too_large");
    expect(error.status).toBe(413);
    expect(request.bodyUsed).toBe(false);
  });

  it("accepts a body of exactly 1 MiB", async () => {
    const json = JSON.stringify({ pad: "x".repeat(MAX_BODY_BYTES - '{"pad":""}'.length) });
    expect(Buffer.byteLength(json)).toBe(MAX_BODY_BYTES);
    expect(await readJsonBody(post(json))).toEqual({ pad: expect.any(String) });
  });

  it("refuses a body one byte over 1 MiB", async () => {
    const json = JSON.stringify({ pad: "x".repeat(MAX_BODY_BYTES + 1 - '{"pad":""}'.length) });
    expect((await rejection(readJsonBody(post(json)))).type).toBe("request_too_large");
  });

  it("counts bytes, not characters", async () => {
    // 400k three-byte characters: 1.2 MB of UTF-8 in a 400k-character string.
    const json = JSON.stringify({ pad: "€".repeat(400_000) });
    expect((await rejection(readJsonBody(post(json)))).type).toBe("request_too_large");
  });

  it("refuses a streamed body over 1 MiB that declares no Content-Length", async () => {
    const request = streamed(17, 64 * 1024); // 1.0625 MiB
    expect(request.headers.get("content-length")).toBeNull();
    const error = await rejection(readJsonBody(request));
    expect(error.type).toBe("request_too_large");
  });

  it("does not trust a small declared Content-Length", async () => {
    const json = JSON.stringify({ pad: "x".repeat(MAX_BODY_BYTES) });
    const error = await rejection(readJsonBody(post(json, { "content-length": "10" })));
    expect(error.type).toBe("request_too_large");
  });

  it("reads a streamed body under the limit", async () => {
    expect(await readJsonBody(streamed(4, 1024))).toEqual({});
  });
});
