import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { conflict, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { db } from "@/lib/instances";
import type { ModelUsage } from "@/lib/runner/protocol";
import { recordAudit, type RequestContext } from "@/lib/server/audit";
import type { KeysetPage } from "@/lib/server/keyset-pages";
import { dispatchRun, openRunFor } from "@/lib/server/session-runs";
import { transaction } from "@/lib/server/transaction";
import { decodeCursor, encodeCursor } from "@/lib/validation/pagination";

/** NOTIFY channel of every recorded event (payload: the session id), for open streams in any process. */
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
  // pg_notify returns void, a column type $queryRaw cannot read back; $executeRaw reads nothing.
  await tx.$executeRaw`SELECT pg_notify(${SESSION_EVENTS_CHANNEL}, ${sessionId})`;
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

// ---------------------------------------------------------------------------------------------
// Stand-ins for the events service's `listSessionEvents` and `sendUserEvents` (issue 12, the
// "events" branch owns them), written to its contract so the session page can be built alongside.
// On merge the events branch's versions replace everything below this line.

/** A user event as the API takes it (`user.message`, `user.interrupt`, `user.tool_confirmation`, …). */
export type UserEventParams = { type: string } & Record<string, unknown>;

export interface SessionEventListOptions {
  limit: number;
  page?: string;
  order?: "asc" | "desc";
}

/** One page of a session's events in `seq` order (THE order), keyset on seq. */
export async function listSessionEvents(sessionId: string, options: SessionEventListOptions): Promise<KeysetPage<StoredSessionEvent>> {
  const order = options.order ?? "asc";
  const scope = `session_events.${order}`;
  const after = options.page === undefined ? undefined : decodeCursor(scope, options.page);
  const rows = await db().sessionEvent.findMany({
    where: { sessionId, ...(after ? { seq: order === "asc" ? { gt: after.seq } : { lt: after.seq } } : {}) },
    orderBy: { seq: order },
    take: options.limit + 1,
  });
  const items = rows.slice(0, options.limit);
  const last = items[items.length - 1];
  return { items, nextPage: rows.length > options.limit && last ? encodeCursor(scope, last) : null };
}

/** Records user events in one transaction; a message opens a run, sent to the queue after commit. */
export async function sendUserEvents(sessionId: string, events: readonly UserEventParams[], context: RequestContext): Promise<StoredSessionEvent[]> {
  const { stored, job } = await transaction(async (tx) => {
    const session = await tx.agentSession.findUnique({ where: { id: sessionId }, select: { archivedAt: true } });
    if (!session) throw notFound("Session", sessionId);
    if (session.archivedAt) throw conflict(`Session ${sessionId} is archived: it is read-only and takes no new events`);
    const stored = await recordEvents(
      tx,
      sessionId,
      events.map(({ type, ...payload }) => ({ type, payload })),
    );
    await recordAudit(tx, context, {
      action: "session.events.send",
      resourceType: "session",
      resourceId: sessionId,
      details: { types: events.map((event) => event.type), count: events.length },
    });
    const job = events.some((event) => event.type === "user.message") ? await openRunFor(tx, sessionId) : null;
    return { stored, job };
  });
  if (job) await dispatchRun(job);
  return stored;
}
