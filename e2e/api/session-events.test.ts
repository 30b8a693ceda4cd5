// Session events through the official SDK (`client.beta.sessions.events`) and raw HTTP (SPEC §7a):
// sending user events (stored in order with ids, queued until a run takes them), the keyset list in
// both orders, refusals naming the field with nothing stored, and the server-sent event stream —
// order, Last-Event-ID resume, several streams at once (across processes on PostgreSQL), cookie
// calls from the console's pages, and the end of the stream when the session is deleted.
// No runner runs here, so only user events are written; nothing is asserted about runs, and the
// streams compare user events only (a runner's events, where one runs, may come in between).
import Anthropic from "@anthropic-ai/sdk";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";

import {
  BETA_HEADER,
  apiKey,
  baseUrl,
  client,
  createApiKey,
  createLlmVault,
  createSession,
  createSessionPrerequisites,
  expectApiError,
  guardResponses,
  raw,
  secondBaseUrl,
  signInOverHttp,
  streamingRecordingFetch,
  type SessionPrerequisites,
} from "./support";
import { sharedDatabaseUrl } from "./own-console";

guardResponses();

const anthropic = client();
/** The SDK with a fetch that hands a streamed body over as it arrives (client() reads it whole). */
const streaming = new Anthropic({ baseURL: baseUrl(), apiKey: apiKey(), maxRetries: 0, fetch: streamingRecordingFetch });

/** How long a test waits for an event it expects on a stream. */
const EVENT_WAIT_MS = 10_000;

let prerequisites: SessionPrerequisites;

beforeAll(async () => {
  prerequisites = await createSessionPrerequisites(anthropic, "events");
  // A stored secret for the suite's canary to look for. It is attached to no session: these
  // sessions are never ready, so where a runner runs, no turn of theirs calls a model.
  await createLlmVault(anthropic, "events canary");
});

async function newSessionId(): Promise<string> {
  return (await createSession(anthropic, prerequisites)).id;
}

function message(text: string) {
  return { type: "user.message" as const, content: [{ type: "text" as const, text }] };
}

const INTERRUPT = { type: "user.interrupt" as const };

interface SentEvent {
  id: string;
  type: string;
  processed_at: string | null;
  [field: string]: unknown;
}

async function send(sessionId: string, events: unknown[]): Promise<SentEvent[]> {
  const response = await raw("POST", `/v1/sessions/${sessionId}/events`, { body: { events } });
  expect(response.status, response.text.slice(0, 300)).toBe(200);
  return (response.json as { data: SentEvent[] }).data;
}

async function listedIds(sessionId: string, params: { order?: "asc" | "desc"; limit?: number } = {}): Promise<string[]> {
  const ids: string[] = [];
  // The suite's consoles run their runs: the session is not ready, so each message's run adds its
  // session.error and status events too. These tests are about the user events, in their order.
  for await (const event of anthropic.beta.sessions.events.list(sessionId, { ...params, types: ["user.message", "user.interrupt"] })) ids.push(event.id);
  return ids;
}

function withTimeout<T>(promise: Promise<T>, what: string, ms = EVENT_WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** One server-sent message as the raw stream reads it. */
interface SseMessage {
  event: string | null;
  id: string | null;
  data: string;
}

/** A raw `GET …/events/stream`: its messages in order (pings included), and a way to hang up. */
interface RawStream {
  status: number;
  next(): Promise<SseMessage | null>;
  close(): Promise<void>;
}

async function openRawStream(
  sessionId: string,
  options: { headers?: Record<string, string>; baseURL?: string; omitApiKey?: boolean } = {},
): Promise<RawStream> {
  const headers: Record<string, string> = { "anthropic-beta": BETA_HEADER, accept: "text/event-stream", ...options.headers };
  if (!options.omitApiKey) headers["x-api-key"] = apiKey();
  const response = await streamingRecordingFetch(`${options.baseURL ?? baseUrl()}/v1/sessions/${sessionId}/events/stream`, { headers });
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return {
    status: response.status,
    async next() {
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = { event: null as string | null, id: null as string | null, data: [] as string[] };
          for (const line of block.split("\n")) {
            if (line.startsWith(":")) continue;
            const colon = line.indexOf(":");
            const name = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
            if (name === "event") fields.event = value;
            else if (name === "id") fields.id = value;
            else if (name === "data") fields.data.push(value);
          }
          if (fields.event === null && fields.id === null && fields.data.length === 0) continue;
          return { event: fields.event, id: fields.id, data: fields.data.join("\n") };
        }
        const chunk = await reader?.read();
        if (!chunk || chunk.done) return null;
        buffer += decoder.decode(chunk.value, { stream: true });
      }
    },
    async close() {
      await reader?.cancel().catch(() => undefined);
    },
  };
}

/** The next `count` user events of a raw stream (pings and a runner's events skipped), parsed. */
async function nextUserEvents(stream: RawStream, count: number): Promise<SentEvent[]> {
  const events: SentEvent[] = [];
  while (events.length < count) {
    const next = await withTimeout(stream.next(), `user event ${events.length + 1} of ${count}`);
    if (next === null) throw new Error(`the stream ended after ${events.length} of ${count} user events`);
    if (!next.event?.startsWith("user.")) continue;
    const event = JSON.parse(next.data) as SentEvent;
    // The SSE fields and the event agree: the SDK takes the name from `event:`, a reconnect the `id:`.
    expect(next.event).toBe(event.type);
    expect(next.id).toBe(event.id);
    events.push(event);
  }
  return events;
}

describe("POST /v1/sessions/{id}/events", () => {
  it("stores the events in order and returns them with ids, queued (processed_at null)", async () => {
    const sessionId = await newSessionId();
    const image = { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } };
    const document = { type: "document", source: { type: "text", media_type: "text/plain", data: "notes" }, title: "Notes" };
    const sent = await anthropic.beta.sessions.events.send(sessionId, {
      events: [
        { type: "user.message", content: [{ type: "text", text: "Where is my order #1234?" }, image, document] as never },
        { type: "user.interrupt" },
        message("and another"),
      ],
    });
    const data = sent.data as unknown as SentEvent[];
    expect(data.map((event) => event.type)).toEqual(["user.message", "user.interrupt", "user.message"]);
    for (const event of data) {
      expect(event.id).toMatch(/^sevt_[A-Za-z0-9_-]{16,}$/);
      expect(event.processed_at).toBeNull();
    }
    expect(new Set(data.map((event) => event.id)).size).toBe(3);
    expect(data[0]?.content).toEqual([{ type: "text", text: "Where is my order #1234?" }, image, document]);
    expect(Object.keys(data[1] ?? {}).sort()).toEqual(["id", "processed_at", "type"]);

    const listed = [];
    for await (const event of anthropic.beta.sessions.events.list(sessionId)) if (event.type.startsWith("user.")) listed.push(event);
    expect(listed.map((event) => event.id)).toEqual(data.map((event) => event.id));
    expect(listed[0]).toMatchObject({ type: "user.message", content: data[0]?.content });
  });

  it("lists in both orders with keyset pages, and a cursor only pages the list it came from", async () => {
    const sessionId = await newSessionId();
    const sent = await send(
      sessionId,
      [1, 2, 3, 4, 5].map((n) => message(`message ${n}`)),
    );
    const ids = sent.map((event) => event.id);
    expect(await listedIds(sessionId, { limit: 2 })).toEqual(ids);
    expect(await listedIds(sessionId, { limit: 2, order: "desc" })).toEqual([...ids].reverse());

    const first = await raw("GET", `/v1/sessions/${sessionId}/events?limit=2&types[]=user.message`);
    const page = first.json as { data: SentEvent[]; next_page: string | null };
    expect(page.data.map((event) => event.id)).toEqual(ids.slice(0, 2));
    expect(page.next_page).toMatch(/^page_/);
    const last = await raw("GET", `/v1/sessions/${sessionId}/events?limit=5&types[]=user.message`);
    expect((last.json as { next_page: string | null }).next_page).toBeNull();

    const cursor = encodeURIComponent(page.next_page ?? "");
    await expectApiError(
      await raw("GET", `/v1/sessions/${sessionId}/events?order=desc&types[]=user.message&page=${cursor}`),
      400,
      "invalid_request_error",
      "page:",
    );
    const other = await newSessionId();
    await expectApiError(await raw("GET", `/v1/sessions/${other}/events?types[]=user.message&page=${cursor}`), 400, "invalid_request_error", "page:");

    const messagesOnly = await raw("GET", `/v1/sessions/${sessionId}/events?types[]=user.interrupt`);
    expect((messagesOnly.json as { data: unknown[] }).data).toEqual([]);
  });

  it("refuses bad input naming the field, and stores nothing of a refused send", async () => {
    const sessionId = await newSessionId();
    const [anchor] = await send(sessionId, [INTERRUPT]);
    const good = message("fine");
    const cases: [unknown, string][] = [
      [{}, "events"],
      [{ events: [] }, "events"],
      [{ events: Array.from({ length: 51 }, () => INTERRUPT) }, "events"],
      [{ events: [good], extra: 1 }, "extra"],
      [{ events: ["hello"] }, "events[0]"],
      [{ events: [{}] }, "events[0].type"],
      [{ events: [good, { type: "user.shout" }] }, "events[1].type"],
      [{ events: [{ type: "user.define_outcome", description: "done" }] }, "events[0].type"],
      [{ events: [{ type: "user.tool_result", tool_use_id: "x" }] }, "events[0].type"],
      [{ events: [{ type: "system.message", content: [] }] }, "events[0].type"],
      [{ events: [{ type: "user.message" }] }, "events[0].content"],
      [{ events: [{ type: "user.message", content: [] }] }, "events[0].content"],
      [{ events: [{ type: "user.message", content: [{ type: "text", text: "" }] }] }, "events[0].content[0].text"],
      [{ events: [{ type: "user.message", content: [{ type: "text", text: "x".repeat(100_001) }] }] }, "events[0].content[0].text"],
      [{ events: [{ type: "user.message", content: [{ type: "text", text: "hi", cache_control: {} }] }] }, "events[0].content[0].cache_control"],
      [{ events: [{ ...good, extra: true }] }, "events[0].extra"],
      [{ events: [{ type: "user.message", content: [{ type: "video" }] }] }, "events[0].content[0].type"],
      [{ events: [{ type: "user.message", content: [{ type: "image", source: { type: "file", file_id: "file_1" } }] }] }, "events[0].content[0].source.type"],
      [
        { events: [{ type: "user.message", content: [{ type: "image", source: { type: "url", url: "ftp://example.test/a.png" } }] }] },
        "events[0].content[0].source.url",
      ],
      [
        { events: [{ type: "user.message", content: [{ type: "image", source: { type: "base64", media_type: "image/png", data: "not base64!" } }] }] },
        "events[0].content[0].source.data",
      ],
      [
        { events: [{ type: "user.message", content: [{ type: "document", source: { type: "text", media_type: "text/html", data: "<p>" } }] }] },
        "events[0].content[0].source.media_type",
      ],
      [{ events: [{ type: "user.interrupt", reason: "stop" }] }, "events[0].reason"],
      [{ events: [{ type: "user.tool_confirmation", result: "allow" }] }, "events[0].tool_use_id"],
      [{ events: [{ type: "user.tool_confirmation", tool_use_id: "sevt_x", result: "maybe" }] }, "events[0].result"],
      [{ events: [{ type: "user.tool_confirmation", tool_use_id: "sevt_x", result: "allow", deny_message: "no" }] }, "events[0].deny_message"],
      [{ events: [{ type: "user.tool_confirmation", tool_use_id: "sevt_x", result: "deny", deny_message: "x".repeat(10_001) }] }, "events[0].deny_message"],
      [{ events: [{ type: "user.custom_tool_result" }] }, "events[0].custom_tool_use_id"],
      [{ events: [{ type: "user.custom_tool_result", custom_tool_use_id: "sevt_x", is_error: "yes" }] }, "events[0].is_error"],
      [{ events: [{ type: "user.custom_tool_result", custom_tool_use_id: "sevt_x", content: "done" }] }, "events[0].content"],
      // Well-formed, but naming no tool use of this session that waits for the answer.
      [{ events: [good, { type: "user.tool_confirmation", tool_use_id: "sevt_missing0000000000", result: "allow" }] }, "events[1].tool_use_id"],
      [{ events: [{ type: "user.tool_confirmation", tool_use_id: anchor?.id, result: "deny" }] }, "events[0].tool_use_id"],
      [
        { events: [{ type: "user.custom_tool_result", custom_tool_use_id: anchor?.id, content: [{ type: "text", text: "42" }] }] },
        "events[0].custom_tool_use_id",
      ],
    ];
    for (const [body, field] of cases) {
      const response = await raw("POST", `/v1/sessions/${sessionId}/events`, { body });
      const error = await expectApiError(response, 400, "invalid_request_error");
      expect(error.message, JSON.stringify(body).slice(0, 200)).toContain(`${field}:`);
    }
    await expectApiError(await raw("POST", `/v1/sessions/${sessionId}/events`, { rawBody: "{" }), 400, "invalid_request_error");
    expect(await listedIds(sessionId)).toEqual([anchor?.id]);

    for (const [query, field] of [
      ["limit=0", "limit"],
      ["limit=101", "limit"],
      ["order=newest", "order"],
      ["page=nonsense", "page"],
      ["include_archived=true", "include_archived"],
    ]) {
      await expectApiError(await raw("GET", `/v1/sessions/${sessionId}/events?${query}`), 400, "invalid_request_error", `${field}:`);
    }
  });

  it("refuses an archived session (409), an unknown one (404), and keys that may not write (403)", async () => {
    const archived = await newSessionId();
    await send(archived, [INTERRUPT]);
    await anthropic.beta.sessions.archive(archived);
    await expectApiError(anthropic.beta.sessions.events.send(archived, { events: [message("late")] }), 409, "conflict_error", "archived");
    expect(await listedIds(archived)).toHaveLength(1);

    const unknown = "sesn_011CZkZAtmR3yMPDzynEDxu7";
    await expectApiError(anthropic.beta.sessions.events.send(unknown, { events: [INTERRUPT] }), 404, "not_found_error");
    await expectApiError(anthropic.beta.sessions.events.list(unknown), 404, "not_found_error");
    await expectApiError(await raw("GET", `/v1/sessions/${unknown}/events/stream`), 404, "not_found_error");

    const sessionId = await newSessionId();
    const viewer = client({ apiKey: (await createApiKey("viewer")).key });
    await expectApiError(viewer.beta.sessions.events.send(sessionId, { events: [INTERRUPT] }), 403, "permission_error", "viewer");
    expect((await viewer.beta.sessions.events.list(sessionId)).data).toEqual([]);
    const runtime = client({ apiKey: (await createApiKey("runtime", { scope: { session_ids: [sessionId] } })).key });
    await expectApiError(runtime.beta.sessions.events.send(sessionId, { events: [INTERRUPT] }), 403, "permission_error");
    await expectApiError(runtime.beta.sessions.events.list(sessionId), 403, "permission_error");
    expect(await listedIds(sessionId)).toEqual([]);
  });
});

describe("GET /v1/sessions/{id}/events/stream", () => {
  it("gives the SDK each new event in order", async () => {
    const sessionId = await newSessionId();
    // Opened first: the suite's consoles run a message's run at once, so a stream opened after the
    // send may find the run over (session-conversation.test.ts shows send-then-stream with a real run).
    const stream = await streaming.beta.sessions.events.stream(sessionId);
    const before = await send(sessionId, [message("first"), message("second")]);
    try {
      const after = await send(sessionId, [message("third")]);
      const more = await send(sessionId, [INTERRUPT]);
      const expected = [...before, ...after, ...more];
      const received: SentEvent[] = [];
      const iterator = stream[Symbol.asyncIterator]();
      while (received.length < expected.length) {
        const next = await withTimeout(iterator.next(), `event ${received.length + 1}`);
        if (next.done) throw new Error("the stream ended early");
        const event = next.value as unknown as SentEvent;
        if (event.type.startsWith("user.")) received.push(event);
      }
      expect(received.map((event) => event.id)).toEqual(expected.map((event) => event.id));
      expect(received[2]?.content).toEqual([{ type: "text", text: "third" }]);
    } finally {
      stream.controller.abort();
    }
  });

  it("without an open run starts with new events only", async () => {
    const sessionId = await newSessionId();
    await send(sessionId, [INTERRUPT]);
    const stream = await openRawStream(sessionId);
    try {
      expect(stream.status).toBe(200);
      const [fresh] = await send(sessionId, [INTERRUPT]);
      expect((await nextUserEvents(stream, 1)).map((event) => event.id)).toEqual([fresh?.id]);
    } finally {
      await stream.close();
    }
  });

  it("resumes after Last-Event-ID with exactly the events missed", async () => {
    const sessionId = await newSessionId();
    const first = await openRawStream(sessionId);
    const [seen] = await send(sessionId, [INTERRUPT]);
    expect((await nextUserEvents(first, 1))[0]?.id).toBe(seen?.id);
    await first.close();

    const missed = [...(await send(sessionId, [INTERRUPT, INTERRUPT])), ...(await send(sessionId, [INTERRUPT]))];
    const resumed = await openRawStream(sessionId, { headers: { "last-event-id": seen?.id ?? "" } });
    try {
      expect((await nextUserEvents(resumed, 3)).map((event) => event.id)).toEqual(missed.map((event) => event.id));
      // Nothing twice: the next event is the one sent after the resume.
      const [later] = await send(sessionId, [INTERRUPT]);
      expect((await nextUserEvents(resumed, 1))[0]?.id).toBe(later?.id);
    } finally {
      await resumed.close();
    }

    await expectApiError(
      await raw("GET", `/v1/sessions/${sessionId}/events/stream?event_deltas[]=agent.message`),
      400,
      "invalid_request_error",
      "event_deltas[]:",
    );
    await expectApiError(await raw("GET", `/v1/sessions/${sessionId}/events/stream?after=1`), 400, "invalid_request_error", "after: unknown field");
    const other = await newSessionId();
    const foreign = await raw("GET", `/v1/sessions/${other}/events/stream`, { headers: { "last-event-id": seen?.id ?? "" } });
    await expectApiError(foreign, 400, "invalid_request_error", "Last-Event-ID:");
  });

  it("gives each of two concurrent streams every event once, in order (across processes where there are two)", async () => {
    const sessionId = await newSessionId();
    const streams = await Promise.all([openRawStream(sessionId), openRawStream(sessionId, { baseURL: secondBaseUrl() ?? undefined })]);
    try {
      const sent: SentEvent[] = [];
      for (let round = 0; round < 3; round++) sent.push(...(await send(sessionId, [INTERRUPT, message(`round ${round}`)])));
      const [sentinel] = await send(sessionId, [INTERRUPT]);
      const expected = [...sent, sentinel].map((event) => event?.id);
      for (const stream of streams) {
        expect((await nextUserEvents(stream, expected.length)).map((event) => event.id)).toEqual(expected);
      }
    } finally {
      await Promise.all(streams.map((stream) => stream.close()));
    }
  });

  it("works with the console's own session cookie on a same-origin request", async () => {
    const { cookies } = await signInOverHttp();
    const cookie = `authjs.session-token=${cookies.get("authjs.session-token")?.value ?? ""}`;
    const sessionId = await newSessionId();
    const stream = await openRawStream(sessionId, { omitApiKey: true, headers: { cookie, "sec-fetch-site": "same-origin" } });
    try {
      expect(stream.status).toBe(200);
      const [sent] = await send(sessionId, [message("from the page")]);
      expect((await nextUserEvents(stream, 1))[0]?.id).toBe(sent?.id);
    } finally {
      await stream.close();
    }
    const crossSite = await raw("GET", `/v1/sessions/${sessionId}/events/stream`, { omitApiKey: true, headers: { cookie, "sec-fetch-site": "cross-site" } });
    await expectApiError(crossSite, 401, "authentication_error");
  });

  it("ends with session.deleted when the session is deleted", async () => {
    const sessionId = await newSessionId();
    const stream = await openRawStream(sessionId);
    try {
      const [sent] = await send(sessionId, [INTERRUPT]);
      expect((await nextUserEvents(stream, 1))[0]?.id).toBe(sent?.id);
      await anthropic.beta.sessions.delete(sessionId);
      let last: SseMessage | null = null;
      for (;;) {
        const next = await withTimeout(stream.next(), "the end of the stream");
        if (next === null) break;
        if (next.event !== "ping") last = next;
      }
      expect(last?.event).toBe("session.deleted");
      const deleted = JSON.parse(last?.data ?? "{}") as SentEvent;
      expect(deleted.type).toBe("session.deleted");
      expect(deleted.id).toMatch(/^sevt_/);
      expect(Number.isNaN(Date.parse(deleted.processed_at ?? ""))).toBe(false);
    } finally {
      await stream.close();
    }
  });

  // Only on PostgreSQL, where the test reaches the database: each console process LISTENs on one
  // dedicated connection, and a stream must not go deaf when that connection drops.
  it.runIf(sharedDatabaseUrl())("keeps delivering after the console's LISTEN connection is cut (PostgreSQL)", async () => {
    const sessionId = await newSessionId();
    const stream = await openRawStream(sessionId);
    try {
      const [before] = await send(sessionId, [INTERRUPT]);
      expect((await nextUserEvents(stream, 1))[0]?.id).toBe(before?.id);
      const database = new pg.Client({ connectionString: sharedDatabaseUrl() });
      await database.connect();
      try {
        const cut = await database.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query ILIKE 'LISTEN%session_events%' AND pid <> pg_backend_pid()",
        );
        expect(cut.rowCount, "the consoles' LISTEN connections").toBeGreaterThan(0);
      } finally {
        await database.end();
      }
      const [after] = await send(sessionId, [INTERRUPT]);
      // Sooner than a stream's own periodic re-read (15 s): the reconnect wakes every stream.
      expect((await nextUserEvents(stream, 1))[0]?.id).toBe(after?.id);
    } finally {
      await stream.close();
    }
  });
});
