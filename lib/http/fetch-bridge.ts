import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * A node:http request as the Fetch Request a route handler takes, and the handler's Response
 * written back: what Next's adapters do for an app route, without the rest of its pipeline.
 */

/** Next drops these from a handler's Response: the body it writes is the one it read, framed by Node. */
const FRAMING_HEADERS = new Set(["content-length", "content-encoding", "transfer-encoding"]);
/** Headers a Response may add beside the same header already set on the outgoing response (Next's list). */
const REPEATABLE_HEADERS = new Set(["set-cookie", "www-authenticate", "proxy-authenticate", "vary"]);

/**
 * The request body as a byte stream, read from the socket only once and as the handler pulls. A
 * handler that never reads it (a body refused by its Content-Length, or before authentication)
 * leaves it to Node, which discards it after the response as it does under Next; a handler that
 * stops early (lib/api/body.ts cancels past 1 MiB) has the rest read and dropped rather than the
 * socket destroyed, so the refusal still reaches the client.
 */
function bodyStream(incoming: IncomingMessage): ReadableStream<Uint8Array> {
  let state: "idle" | "flowing" | "done" = "idle";
  let onData: ((chunk: Buffer) => void) | null = null;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (state === "idle") {
          state = "flowing";
          onData = (chunk: Buffer) => {
            controller.enqueue(chunk);
            if ((controller.desiredSize ?? 0) <= 0) incoming.pause();
          };
          incoming.on("data", onData);
          incoming.once("end", () => {
            if (state !== "flowing") return;
            state = "done";
            controller.close();
          });
          incoming.once("close", () => {
            if (state !== "flowing") return;
            state = "done";
            controller.error(new Error("The client closed the connection before the request body ended"));
          });
        }
        incoming.resume();
      },
      cancel() {
        state = "done";
        if (onData) incoming.off("data", onData);
        incoming.resume();
      },
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );
}

function hasBody(incoming: IncomingMessage): boolean {
  const length = incoming.headers["content-length"];
  return incoming.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

/**
 * The Fetch Request for `incoming` (its headers as start.ts left them), with `signal` aborted when
 * the client goes away, as Next's is: a stream (server-sent events) stops on it.
 */
export function toFetchRequest(incoming: IncomingMessage, origin: string, signal: AbortSignal): Request {
  const headers = new Headers();
  const raw = incoming.headers;
  for (const name in raw) {
    const value = raw[name];
    if (value === undefined) continue;
    if (typeof value === "string") headers.append(name, value);
    else for (const item of value) headers.append(name, item);
  }
  const method = incoming.method ?? "GET";
  const body = method !== "GET" && method !== "HEAD" && hasBody(incoming) ? bodyStream(incoming) : null;
  const init: RequestInit & { duplex?: "half" } = { method, headers, signal };
  if (body) {
    init.body = body;
    init.duplex = "half";
  }
  return new Request(origin + (incoming.url ?? "/"), init);
}

/** Past this much of a body a handler left unread, the connection is closed after the answer rather than read to its end. */
const MAX_DISCARDED_BYTES = 16 * 1024 * 1024;

/**
 * Reads and drops what is left of the request body once the handler has answered, before the answer
 * is written: a client that gets its answer while still sending (a body refused as too large)
 * would otherwise have its kept-alive connection reset under its next request. Past
 * MAX_DISCARDED_BYTES the answer goes out with `Connection: close` instead. True when read to the end.
 */
export async function discardUnreadBody(incoming: IncomingMessage, request: Request): Promise<boolean> {
  if (incoming.complete) return true;
  if (request.body && !request.body.locked) await request.body.cancel().catch(() => undefined);
  if (incoming.complete) return true;
  return new Promise<boolean>((resolve) => {
    let discarded = 0;
    const settle = (whole: boolean) => {
      incoming.off("data", onData);
      incoming.off("end", onEnd);
      incoming.off("close", onClose);
      resolve(whole);
    };
    const onData = (chunk: Buffer) => {
      discarded += chunk.byteLength;
      if (discarded > MAX_DISCARDED_BYTES) settle(false);
    };
    const onEnd = () => settle(true);
    const onClose = () => settle(incoming.complete);
    incoming.on("data", onData);
    incoming.once("end", onEnd);
    incoming.once("close", onClose);
    incoming.resume();
  });
}

/**
 * The text a Response was made from (textResponse). A symbol from the global registry rather than
 * a module's own: route modules run in start.ts's copy of lib/ and in Next's bundle alike.
 */
const RESPONSE_TEXT = Symbol.for("managed-agents-console.response-text");
type TextBackedResponse = Response & { [RESPONSE_TEXT]?: string };

/**
 * A Response whose body is `text`, which writeFetchResponse writes from the string itself, in one
 * write with the headers: read back through the Response's web stream, every JSON answer paid for
 * reads, promises, an immediate and an encoding to bytes that Node does again as it writes.
 * Anything else that reads the Response (Next, a test) reads the same text from its body.
 */
export function textResponse(text: string, init: ResponseInit): Response {
  const response: TextBackedResponse = new Response(text, init);
  response[RESPONSE_TEXT] = text;
  return response;
}

/** The text `response` was made from by textResponse, or undefined for any other Response. */
export function responseText(response: Response): string | undefined {
  return (response as TextBackedResponse)[RESPONSE_TEXT];
}

const PENDING = Symbol("pending");
type Read = ReadableStreamReadResult<Uint8Array>;

/** The next chunk if the body already has it (an in-memory JSON body does), else PENDING, without waiting for I/O. */
function readIfReady(reader: ReadableStreamDefaultReader<Uint8Array>): { now: Promise<Read | typeof PENDING>; later: Promise<Read> } {
  const later = reader.read();
  const now = Promise.race([later, new Promise<typeof PENDING>((resolve) => setImmediate(resolve, PENDING))]);
  return { now, later };
}

function headersFor(response: Response, outgoing: ServerResponse): void {
  response.headers.forEach((value, name) => {
    if (FRAMING_HEADERS.has(name) || name === "set-cookie") return;
    if (REPEATABLE_HEADERS.has(name) || !outgoing.hasHeader(name)) outgoing.appendHeader(name, value);
  });
  for (const cookie of response.headers.getSetCookie()) outgoing.appendHeader("set-cookie", cookie);
}

function drained(outgoing: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      outgoing.off("drain", done);
      outgoing.off("close", done);
      resolve();
    };
    outgoing.on("drain", done);
    outgoing.on("close", done);
  });
}

/**
 * Writes a handler's Response. A body made by textResponse (every JSON answer) goes out from its
 * string; another body that is whole at once goes out in one write with its Content-Length; a
 * body still being produced (server-sent events) is streamed as it comes, with backpressure, and
 * cancelled when the client goes, or has gone already, so its producer stops. Headers already on
 * `outgoing` (request id, security headers) stay, as Next keeps them.
 */
export async function writeFetchResponse(response: Response, outgoing: ServerResponse, method: string): Promise<void> {
  outgoing.statusCode = response.status;
  if (response.statusText) outgoing.statusMessage = response.statusText;
  headersFor(response, outgoing);
  if (!response.body || method === "HEAD") {
    await response.body?.cancel();
    outgoing.end();
    return;
  }
  const text = responseText(response);
  if (text !== undefined) {
    outgoing.setHeader("content-length", Buffer.byteLength(text));
    outgoing.end(text);
    return;
  }
  const reader = response.body.getReader();
  const cancel = () => void reader.cancel().catch(() => undefined);
  // A client that went while the handler worked has closed already: no close event will come.
  if (outgoing.destroyed) {
    cancel();
    return;
  }
  outgoing.once("close", cancel);
  try {
    const chunks: Uint8Array[] = [];
    let step = readIfReady(reader);
    for (;;) {
      const read = await step.now;
      if (read === PENDING) break;
      if (read.done) {
        const whole = chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks);
        outgoing.setHeader("content-length", whole.byteLength);
        outgoing.end(whole);
        return;
      }
      chunks.push(read.value);
      step = readIfReady(reader);
    }
    // Still producing: send what there is now (the client's request resolves) and stream the rest.
    for (const chunk of chunks) outgoing.write(chunk);
    if (chunks.length === 0) outgoing.flushHeaders();
    for (let read = await step.later; !read.done; read = await reader.read()) {
      if (outgoing.destroyed) {
        cancel();
        return;
      }
      if (!outgoing.write(read.value)) await drained(outgoing);
    }
    outgoing.end();
  } finally {
    outgoing.off("close", cancel);
  }
}
