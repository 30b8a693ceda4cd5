// A small Anthropic-compatible model endpoint on a loopback port, for the credential boundary
// (SPEC §7): it stands in for the LLM vault's `llm_base_url`, records every request it receives,
// and answers the way a test tells it to. It runs in the test's own process, so the times it sends
// stream events at and the times the client sees them arrive come from one clock. `npm run bench`
// uses it too, as the upstream it calls directly and through the boundary.
import { createServer, type IncomingHttpHeaders, type RequestListener, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

export interface RecordedRequest {
  method: string;
  /** The path exactly as it arrived, without the query. */
  path: string;
  /** `?…` as it arrived, or "". */
  query: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Set when the client went away before the answer was complete. */
  clientGone: boolean;
}

export type StubHandler = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

export interface StubUpstream {
  /** `http://127.0.0.1:<port>`, a base URL an LLM vault may name (plain http is for loopback only);
   * `https://<host>:<port>` when started with a certificate. */
  origin: string;
  /** Every request received since the last clear(), oldest first. */
  requests: RecordedRequest[];
  /** Replaces how the stub answers from the next request on. */
  handle(handler: StubHandler): void;
  clear(): void;
  close(): Promise<void>;
}

export const STUB_MODEL = "claude-sonnet-4-6";

export function anthropicMessage(text = "Hello from the stub upstream") {
  return {
    id: "msg_stub0123456789",
    type: "message",
    role: "assistant",
    model: STUB_MODEL,
    content: [{ type: "text", text }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: { input_tokens: 7, output_tokens: 6 },
  };
}

/** The event sequence of a streamed message, text split into `deltas` pieces. */
export function anthropicStreamEvents(deltas: string[]): Array<{ event: string; data: unknown }> {
  const message = { ...anthropicMessage(""), content: [], stop_reason: null, usage: { input_tokens: 7, output_tokens: 1 } };
  return [
    { event: "message_start", data: { type: "message_start", message } },
    { event: "content_block_start", data: { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } } },
    ...deltas.map((text) => ({
      event: "content_block_delta",
      data: { type: "content_block_delta", index: 0, delta: { type: "text_delta", text } },
    })),
    { event: "content_block_stop", data: { type: "content_block_stop", index: 0 } },
    {
      event: "message_delta",
      data: { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: deltas.length } },
    },
    { event: "message_stop", data: { type: "message_stop" } },
  ];
}

export function anthropicModelList() {
  return {
    data: [{ type: "model", id: STUB_MODEL, display_name: "Claude Sonnet (stub)", created_at: "2026-01-01T00:00:00Z" }],
    has_more: false,
    first_id: STUB_MODEL,
    last_id: STUB_MODEL,
  };
}

export function anthropicError(type: string, message: string) {
  return { type: "error", error: { type, message } };
}

export function answerJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  response.end(text);
}

/**
 * Sends the events as server-sent events, `spacingMs` apart (the first one at once), and returns
 * the performance.now() each was written at. Stops early when the client goes away.
 */
export async function answerSse(response: ServerResponse, events: Array<{ event: string; data: unknown }>, spacingMs: number): Promise<number[]> {
  response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
  response.flushHeaders();
  const sentAt: number[] = [];
  for (const [index, { event, data }] of events.entries()) {
    if (index > 0) await sleep(spacingMs);
    if (response.destroyed) break;
    response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    sentAt.push(performance.now());
  }
  response.end();
  return sentAt;
}

export interface AnthropicApiOptions {
  /** Gap between streamed events. */
  spacingMs?: number;
  /** Text pieces of a streamed answer. */
  deltas?: string[];
  /** Receives the send times of each stream, for tests that measure arrival. */
  onStreamSent?: (sentAt: number[]) => void;
}

/**
 * `POST …/v1/messages` (streamed when the body says `"stream": true`), `POST …/v1/messages/count_tokens`
 * and `GET …/v1/models`; anything else is a 404 in the Anthropic error envelope.
 */
export function anthropicApi(options: AnthropicApiOptions = {}): StubHandler {
  const spacingMs = options.spacingMs ?? 0;
  const deltas = options.deltas ?? ["Hello", " from", " the", " stub"];
  return async (request, response) => {
    if (request.method === "GET" && request.path.endsWith("/v1/models")) return answerJson(response, 200, anthropicModelList());
    if (request.method === "POST" && request.path.endsWith("/v1/messages/count_tokens")) return answerJson(response, 200, { input_tokens: 7 });
    if (request.method !== "POST" || !request.path.endsWith("/v1/messages")) {
      return answerJson(response, 404, anthropicError("not_found_error", `stub: no route ${request.method} ${request.path}`));
    }
    let stream = false;
    try {
      stream = (JSON.parse(request.body) as { stream?: unknown }).stream === true;
    } catch {
      return answerJson(response, 400, anthropicError("invalid_request_error", "stub: the body is not JSON"));
    }
    if (!stream) return answerJson(response, 200, anthropicMessage());
    const sentAt = await answerSse(response, anthropicStreamEvents(deltas), spacingMs);
    options.onStreamSent?.(sentAt);
  };
}

/**
 * The stub's core, shared by the plain and the TLS stub: a request listener that records each
 * request (body read in full) and hands it to the current handler, and the StubUpstream around a
 * server once it listens.
 */
export interface RecordingCore {
  listener: RequestListener;
  /** The StubUpstream of a listening `server` that serves `origin`. */
  upstream(server: ClosableServer, origin: string): StubUpstream;
}

/** What close() needs of an http or https server. */
export type ClosableServer = Pick<Server, "closeAllConnections"> & { close(callback: () => void): unknown };

export function recordingCore(handler: StubHandler): RecordingCore {
  let current = handler;
  const requests: RecordedRequest[] = [];
  const listener: RequestListener = (incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const url = new URL(incoming.url ?? "/", "http://stub.invalid");
      const rawPath = (incoming.url ?? "/").split("?")[0] ?? "/";
      const recorded: RecordedRequest = {
        method: incoming.method ?? "GET",
        path: rawPath,
        query: url.search,
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        clientGone: false,
      };
      requests.push(recorded);
      response.on("close", () => {
        if (!response.writableFinished) recorded.clientGone = true;
      });
      Promise.resolve(current(recorded, response)).catch((error: unknown) => {
        if (!response.headersSent) answerJson(response, 599, { stub_error: String(error) });
        else response.destroy();
      });
    });
  };
  return {
    listener,
    upstream: (server, origin) => ({
      origin,
      requests,
      handle(next) {
        current = next;
      },
      clear() {
        requests.length = 0;
      },
      close() {
        server.closeAllConnections();
        return new Promise<void>((resolveClose) => server.close(() => resolveClose()));
      },
    }),
  };
}

export interface StubUpstreamOptions {
  /** A loopback address to listen on; 127.0.0.1 by default. Other 127.x addresses are other hosts. */
  host?: string;
  /** Serve https with this certificate (a leaf for `host`, signed by a CA the client trusts). */
  tls?: { certificatePem: string; privateKeyPem: string };
}

export async function startStubUpstream(handler: StubHandler = anthropicApi(), options: StubUpstreamOptions = {}): Promise<StubUpstream> {
  const core = recordingCore(handler);
  const host = options.host ?? "127.0.0.1";
  const server = options.tls
    ? createTlsServer({ cert: options.tls.certificatePem, key: options.tls.privateKeyPem }, core.listener)
    : createServer(core.listener);
  await new Promise<void>((resolveListen) => server.listen(0, host, resolveListen));
  const { port } = server.address() as AddressInfo;
  return core.upstream(server, `${options.tls ? "https" : "http"}://${host}:${port}`);
}

/** A loopback origin nothing listens on: a port the system just handed out and took back. */
export async function closedPortOrigin(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolveListen) => server.listen(0, "127.0.0.1", resolveListen));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
  return `http://127.0.0.1:${port}`;
}

/** Everything the stub received (request lines, headers, bodies) as one text, for "did X reach it" checks. */
export function everythingReceived(requests: RecordedRequest[]): string {
  return requests.map((request) => `${request.method} ${request.path}${request.query}\n${JSON.stringify(request.headers)}\n${request.body}`).join("\n");
}

// ── A scripted model, for the runner: what each Messages API call answers ────────────────────

/** One content block of a scripted answer: text (streamed in the given pieces) or a tool call. */
export type ScriptedBlock = { type: "text"; deltas: string[] } | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

/** What one `POST /v1/messages` answers: a message of these blocks, or an HTTP error in the Anthropic envelope. */
export type ScriptedReply =
  | { kind: "message"; blocks: ScriptedBlock[]; spacingMs?: number }
  | { kind: "error"; status: number; type: string; message: string; headers?: Record<string, string> };

export const textReply = (deltas: string[], spacingMs = 0): ScriptedReply => ({ kind: "message", blocks: [{ type: "text", deltas }], spacingMs });

export const toolUseReply = (name: string, input: Record<string, unknown>, id = "toolu_stub0001"): ScriptedReply => ({
  kind: "message",
  blocks: [{ type: "tool_use", id, name, input }],
});

/** An error answer that tells the client not to retry it (as Anthropic does for a refused key), so a test need not wait out retries. */
export const errorReply = (status: number, type: string, message: string): ScriptedReply => ({
  kind: "error",
  status,
  type,
  message,
  headers: { "x-should-retry": "false" },
});

/** The stream of one scripted message, as the streaming Messages API sends it. */
export function scriptedStreamEvents(blocks: ScriptedBlock[]): Array<{ event: string; data: unknown }> {
  const message = {
    ...anthropicMessage(""),
    content: [],
    stop_reason: null,
    usage: { input_tokens: 11, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 3 },
  };
  const events: Array<{ event: string; data: unknown }> = [{ event: "message_start", data: { type: "message_start", message } }];
  let outputTokens = 0;
  blocks.forEach((block, index) => {
    if (block.type === "text") {
      events.push({ event: "content_block_start", data: { type: "content_block_start", index, content_block: { type: "text", text: "" } } });
      for (const text of block.deltas)
        events.push({ event: "content_block_delta", data: { type: "content_block_delta", index, delta: { type: "text_delta", text } } });
      outputTokens += block.deltas.length;
    } else {
      events.push({
        event: "content_block_start",
        data: { type: "content_block_start", index, content_block: { type: "tool_use", id: block.id, name: block.name, input: {} } },
      });
      events.push({
        event: "content_block_delta",
        data: { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: JSON.stringify(block.input) } },
      });
      outputTokens += 5;
    }
    events.push({ event: "content_block_stop", data: { type: "content_block_stop", index } });
  });
  const stopReason = blocks.some((block) => block.type === "tool_use") ? "tool_use" : "end_turn";
  events.push({
    event: "message_delta",
    data: { type: "message_delta", delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: outputTokens } },
  });
  events.push({ event: "message_stop", data: { type: "message_stop" } });
  return events;
}

/** Whether the request's last message carries a tool's result (the call after a tool ran). */
export function answersToolResult(body: string): boolean {
  try {
    const messages = (JSON.parse(body) as { messages?: Array<{ role?: string; content?: unknown }> }).messages ?? [];
    const last = messages[messages.length - 1];
    return Array.isArray(last?.content) && last.content.some((block: { type?: unknown }) => block?.type === "tool_result");
  } catch {
    return false;
  }
}

/**
 * A model whose answers a test scripts: `reply(request)` picks the answer to each
 * `POST …/v1/messages` (streamed when asked); count_tokens and the models list answer as
 * anthropicApi() does.
 */
export function scriptedAnthropic(reply: (request: RecordedRequest) => ScriptedReply): StubHandler {
  const fallback = anthropicApi();
  return async (request, response) => {
    if (request.method !== "POST" || !request.path.endsWith("/v1/messages")) return fallback(request, response);
    const answer = reply(request);
    if (answer.kind === "error") return answerJson(response, answer.status, anthropicError(answer.type, answer.message), answer.headers);
    const stream = (JSON.parse(request.body) as { stream?: unknown }).stream === true;
    if (!stream) {
      const content = answer.blocks.map((block) => (block.type === "text" ? { type: "text", text: block.deltas.join("") } : { ...block }));
      return answerJson(response, 200, { ...anthropicMessage(""), content });
    }
    await answerSse(response, scriptedStreamEvents(answer.blocks), answer.spacingMs ?? 0);
  };
}
