// The one writer of session events, apart from the rest of the events service
// (lib/server/session-events.ts re-exports it) so that the run sweep can record from scripts/start.ts,
// outside Next: no `server-only` marker, and nothing imported that has one.
import type { Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import type { ModelUsage } from "@/lib/runner/protocol";
import { noticePayload, rememberRecorded } from "@/lib/server/session-events-recent";

/** NOTIFY channel of every recorded event (payload: the session id and the seqs recorded, see session-events-recent.ts), for open streams in any process. */
export const SESSION_EVENTS_CHANNEL = "session_events";

/** One event to record: its contract type and its own fields (no id, type or processed_at). */
export interface NewSessionEvent {
  type: string;
  payload: Record<string, unknown>;
}

export interface StoredSessionEvent {
  id: string;
  seq: bigint;
  sessionId: string;
  type: string;
  payload: Prisma.JsonValue;
  processedAt: Date | null;
  runId: string | null;
  createdAt: Date;
}

/** What a status event makes of the session's `status`. */
const STATUS_OF: Readonly<Record<string, string>> = {
  "session.status_running": "running",
  "session.status_idle": "idle",
  "session.status_terminated": "terminated",
};

/**
 * The one writer of session events, inside the caller's transaction. It locks the session row first,
 * so one session's events commit in `seq` order and a stream reading "after seq N" never skips one
 * that commits late. User events are stored queued (processed_at NULL) until a run takes them; any
 * other event is processed when recorded. Status events move the session's `status`; a model
 * request's end adds its usage. Open streams hear of the commit through SESSION_EVENTS_CHANNEL.
 */
export async function recordEvents(
  tx: Prisma.TransactionClient,
  sessionId: string,
  events: readonly NewSessionEvent[],
  options: { runId?: string | null } = {},
): Promise<StoredSessionEvent[]> {
  await tx.$queryRaw`SELECT id FROM sessions WHERE id = ${sessionId} FOR UPDATE`;
  const now = new Date();
  const stored: StoredSessionEvent[] = [];
  for (const event of events) {
    const { id: _id, type: _type, processed_at: _processedAt, ...payload } = event.payload;
    stored.push(
      await tx.sessionEvent.create({
        data: {
          id: newId("sevt"),
          sessionId,
          type: event.type,
          payload: payload as Prisma.InputJsonObject,
          processedAt: event.type.startsWith("user.") ? null : now,
          runId: options.runId ?? null,
          createdAt: now,
        },
      }),
    );
  }
  const lastStatus = [...events].reverse().find((event) => STATUS_OF[event.type] !== undefined);
  const usage = events.filter((event) => event.type === "span.model_request_end").map((event) => event.payload.model_usage as ModelUsage);
  if (lastStatus || usage.length > 0) {
    const session = await tx.agentSession.findUniqueOrThrow({ where: { id: sessionId }, select: { usage: true } });
    await tx.agentSession.update({
      where: { id: sessionId },
      data: {
        ...(lastStatus ? { status: STATUS_OF[lastStatus.type] } : {}),
        ...(usage.length > 0 ? { usage: addUsage(session.usage, usage) } : {}),
      },
    });
  }
  // Streams of this process send these from memory once the notice (naming their seqs) shows they committed.
  rememberRecorded(stored);
  // Cast: pg_notify returns void, a column type Prisma cannot read back.
  await tx.$queryRaw`SELECT pg_notify(${SESSION_EVENTS_CHANNEL}, ${noticePayload(sessionId, stored)})::text AS sent`;
  return stored;
}

/** The session's usage so far plus these requests' (SPEC: `usage` follows the runs). */
function addUsage(current: Prisma.JsonValue, requests: readonly ModelUsage[]): Prisma.InputJsonObject {
  const base = current !== null && typeof current === "object" && !Array.isArray(current) ? current : {};
  const read = (key: string): number => (typeof base[key] === "number" ? (base[key] as number) : 0);
  const sum = (key: keyof ModelUsage): number => requests.reduce((total, request) => total + request[key], read(key));
  return {
    input_tokens: sum("input_tokens"),
    output_tokens: sum("output_tokens"),
    cache_read_input_tokens: sum("cache_read_input_tokens"),
    cache_creation_input_tokens: sum("cache_creation_input_tokens"),
  };
}
