import { API_SECURITY_HEADERS } from "@/lib/http/security-headers";
import { newId } from "@/lib/ids";
import { log } from "@/lib/ops/logger";
import { shutdownSignal } from "@/lib/ops/shutdown";
import { serializeSessionEvent } from "@/lib/serializers/session-events";
import { sessionStreamStart, subscribeSessionEvents, type StoredSessionEvent } from "@/lib/server/session-events";

/** How often an idle stream says it is alive, so proxies and clients keep the connection open. */
const KEEP_ALIVE_MS = 15_000;

const encoder = new TextEncoder();

/** One SSE message as the SDK reads it: it skips a message without an event name. */
function message(event: { id: string; type: string }, data: unknown): Uint8Array {
  return encoder.encode(`event: ${event.type}\nid: ${event.id}\ndata: ${JSON.stringify(data)}\n\n`);
}

function eventMessage(event: StoredSessionEvent): Uint8Array {
  return message(event, serializeSessionEvent(event));
}

/** The contract's last word on a deleted session; it is not stored (the session's events are gone). */
function deletedMessage(): Uint8Array {
  const event = { id: newId("sevt"), type: "session.deleted" };
  return message(event, { ...event, processed_at: new Date().toISOString() });
}

/**
 * `GET /v1/sessions/{id}/events/stream` as server-sent events: each event as `event:`, `id:`,
 * `data:`, from where the Last-Event-ID header left off (or see sessionStreamStart), until the
 * client goes, the session is deleted or this process shuts down (the client resumes elsewhere
 * with Last-Event-ID). A refusal (unknown session, unknown Last-Event-ID) is
 * thrown before anything is streamed, so it still travels as the JSON error envelope.
 */
export async function sessionEventStream(sessionId: string, request: Request, requestId: string): Promise<Response> {
  const lastEventId = request.headers.get("last-event-id")?.trim() || null;
  const afterSeq = await sessionStreamStart(sessionId, lastEventId);
  let stop = () => undefined as void;
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      let open = true;
      const keepAlive = setInterval(() => send(encoder.encode("event: ping\ndata: {}\n\n")), KEEP_ALIVE_MS);
      let unsubscribe = () => undefined as void;
      stop = () => {
        if (!open) return;
        open = false;
        clearInterval(keepAlive);
        unsubscribe();
        request.signal.removeEventListener("abort", stop);
        shutdownSignal().removeEventListener("abort", finish);
      };
      const send = (chunk: Uint8Array) => {
        if (open) controller.enqueue(chunk);
      };
      const finish = () => {
        if (!open) return;
        stop();
        controller.close();
      };
      // Next aborts the request's signal when the client disconnects; cancel() below covers the rest.
      request.signal.addEventListener("abort", stop);
      if (shutdownSignal().aborted) return finish();
      shutdownSignal().addEventListener("abort", finish);
      // The first bytes go out at once, so the client's request resolves before any event exists.
      send(encoder.encode(": stream open\n\n"));
      try {
        unsubscribe = await subscribeSessionEvents(sessionId, afterSeq, (event) => send(eventMessage(event)), {
          onEnd: (reason) => {
            if (reason === "deleted") send(deletedMessage());
            finish();
          },
        });
        if (!open) unsubscribe();
      } catch (error) {
        log().error(
          { request_id: requestId, session_id: sessionId, problem: error instanceof Error ? error.message : String(error) },
          "session event stream could not listen",
        );
        finish();
      }
    },
    cancel() {
      stop();
    },
  });
  return new Response(body, {
    headers: {
      ...API_SECURITY_HEADERS,
      "request-id": requestId,
      "content-type": "text/event-stream; charset=utf-8",
      // A reverse proxy in front (nginx) must pass each event on as it comes, not buffer the response.
      "x-accel-buffering": "no",
    },
  });
}
