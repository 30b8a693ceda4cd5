import { v1Get, type Page } from "@/lib/queries/v1";
import { BETA_HEADER, BETA_VERSION } from "@/lib/http/headers";
import type { SessionEventObject } from "@/lib/serializers/session-events";

/** How many events the session page shows at first and loads with each "Load earlier". */
export const SESSION_EVENTS_PAGE_SIZE = 50;

export const sessionEventKeys = {
  all: ["session-events"] as const,
  earlier: (sessionId: string) => [...sessionEventKeys.all, "earlier", sessionId] as const,
};

/** The page of events just before a newest-first cursor (the server's next_page of the previous one). */
export function fetchEarlierEvents(sessionId: string, page: string, signal?: AbortSignal): Promise<Page<SessionEventObject>> {
  const search = new URLSearchParams({ order: "desc", limit: String(SESSION_EVENTS_PAGE_SIZE), page });
  return v1Get<Page<SessionEventObject>>(`/v1/sessions/${encodeURIComponent(sessionId)}/events?${search}`, signal);
}

/** Why a stream stopped: the server ended it (deleted session, restart) or it failed; the caller reconnects or not. */
export class StreamEnded extends Error {
  constructor(
    readonly status: number | null,
    message: string,
  ) {
    super(message);
    this.name = "StreamEnded";
  }
}

/**
 * Reads `/v1/sessions/{id}/events/stream` until it ends or `signal` aborts. A fetch rather than an
 * EventSource: /v1 wants the beta header on every call, which an EventSource cannot send. The
 * cookie counts because the request is same-origin (lib/auth/request-session.ts). `lastEventId`
 * is sent as `Last-Event-ID`, so a reconnect resumes after the last event seen, nothing lost.
 */
export async function readSessionEventStream(
  sessionId: string,
  options: { lastEventId: string | null; signal: AbortSignal; onOpen: () => void; onEvent: (event: SessionEventObject) => void },
): Promise<void> {
  const headers: Record<string, string> = { [BETA_HEADER]: BETA_VERSION, accept: "text/event-stream" };
  if (options.lastEventId) headers["last-event-id"] = options.lastEventId;
  const response = await fetch(`/v1/sessions/${encodeURIComponent(sessionId)}/events/stream`, {
    credentials: "same-origin",
    headers,
    signal: options.signal,
    cache: "no-store",
  });
  if (!response.ok || !response.body) throw new StreamEnded(response.status, `The event stream answered ${response.status}`);
  options.onOpen();
  // The SSE parser is fetched with the first stream, not with the session page's first paint.
  const { EventSourceParserStream } = await import("eventsource-parser/stream");
  const reader = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    // Keep-alives (`event: ping`, comments) carry no event.
    if (read.value.event === "ping" || read.value.data === "") continue;
    const event = parseEvent(read.value.data);
    if (event) options.onEvent(event);
  }
  throw new StreamEnded(null, "The event stream ended");
}

function parseEvent(data: string): SessionEventObject | null {
  try {
    const value: unknown = JSON.parse(data);
    if (value && typeof value === "object" && "id" in value && "type" in value && typeof value.id === "string" && typeof value.type === "string") {
      return value as SessionEventObject;
    }
  } catch {
    // A message that is not an event (a proxy's error page) is skipped, not fatal.
  }
  return null;
}
