// The one writer of session events and the row locks it needs, apart from the rest of the events
// service (lib/server/session-events.ts re-exports it) so that the run sweep can record from
// scripts/start.ts, outside Next: no `server-only` marker, and nothing imported that has one.
import type { Prisma, SessionRun } from "@/lib/generated/prisma/client";
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

declare const sessionLocked: unique symbol;

/**
 * The id of a session whose row the current transaction has locked (lockSession, lockRun): the one
 * thing recordEvents takes, so that recording without the lock does not compile.
 */
export type LockedSessionId = string & { readonly [sessionLocked]: true };

/** Locks the session's row for the transaction; null when there is no such session. */
export async function lockSession(tx: Prisma.TransactionClient, sessionId: string): Promise<{ id: LockedSessionId; archivedAt: Date | null } | null> {
  const [row] = await tx.$queryRaw<{ archived_at: Date | null }[]>`SELECT archived_at FROM sessions WHERE id = ${sessionId} FOR UPDATE`;
  return row ? { id: sessionId as LockedSessionId, archivedAt: row.archived_at } : null;
}

/** A run read under its session's lock and its own. */
export type LockedRun = SessionRun & { sessionId: LockedSessionId };

/**
 * Locks the run's session, then the run (the lock order of every transaction on runs, so a send, a
 * finish and a sweep never deadlock), and returns the run as it is now; null when it is gone. Two
 * statements: the session is found through the run, and the run's row is read as it is locked.
 */
export async function lockRun(tx: Prisma.TransactionClient, runId: string): Promise<LockedRun | null> {
  const [session] = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM sessions WHERE id = (SELECT session_id FROM session_runs WHERE id = ${runId}) FOR UPDATE`;
  if (!session) return null;
  const run = await lockRunRow(tx, runId);
  return run ? { ...run, sessionId: run.sessionId as LockedSessionId } : null;
}

/** Locks the run's row alone (its session is not locked) and reads it in the same statement; null when it is gone. */
export async function lockRunRow(tx: Prisma.TransactionClient, runId: string): Promise<SessionRun | null> {
  const [run] = await tx.$queryRaw<SessionRun[]>`
    SELECT id, session_id AS "sessionId", status, attempt, claim_token_hash AS "claimTokenHash", api_key_id AS "apiKeyId",
      worker_id AS "workerId", lease_expires_at AS "leaseExpiresAt", error, created_at AS "createdAt",
      started_at AS "startedAt", ended_at AS "endedAt", resting_since AS "restingSince", answered_through_seq AS "answeredThroughSeq"
    FROM session_runs WHERE id = ${runId} FOR UPDATE`;
  return run ?? null;
}

/** What a status event makes of the session's `status`. */
const STATUS_OF: Readonly<Record<string, string>> = {
  "session.status_running": "running",
  "session.status_idle": "idle",
  "session.status_terminated": "terminated",
};

/**
 * The one writer of session events, inside the caller's transaction, which holds the session's row
 * lock (LockedSessionId): one session's events commit in `seq` order, so a stream reading "after
 * seq N" never skips one that commits late. User events are stored queued (processed_at NULL) until
 * a run takes them; any other event is processed when recorded. Status events move the session's
 * `status`; a model request's end adds its usage. Open streams hear of the commit through
 * SESSION_EVENTS_CHANNEL. One INSERT for the events, one UPDATE for the session when it changes.
 */
export async function recordEvents(
  tx: Prisma.TransactionClient,
  sessionId: LockedSessionId,
  events: readonly NewSessionEvent[],
  options: { runId?: string | null } = {},
): Promise<StoredSessionEvent[]> {
  const now = new Date();
  const inserted = await tx.sessionEvent.createManyAndReturn({
    data: events.map((event) => {
      const { id: _id, type: _type, processed_at: _processedAt, ...payload } = event.payload;
      return {
        id: newId("sevt"),
        sessionId,
        type: event.type,
        payload: payload as Prisma.InputJsonObject,
        processedAt: event.type.startsWith("user.") ? null : now,
        runId: options.runId ?? null,
        createdAt: now,
      };
    }),
  });
  // SQL promises no order of RETURNING rows; seq follows the VALUES order, which is the events'.
  const stored = inserted.sort((a, b) => (a.seq < b.seq ? -1 : 1));
  const lastStatus = [...events].reverse().find((event) => STATUS_OF[event.type] !== undefined);
  const usage = events.filter((event) => event.type === "span.model_request_end").map((event) => event.payload.model_usage as ModelUsage);
  if (usage.length > 0) await addUsage(tx, sessionId, usage, lastStatus ? STATUS_OF[lastStatus.type] : undefined);
  else if (lastStatus) await tx.agentSession.update({ where: { id: sessionId }, data: { status: STATUS_OF[lastStatus.type] } });
  // Streams of this process send these from memory once the notice (naming their seqs) shows they committed.
  rememberRecorded(stored);
  // Cast: pg_notify returns void, a column type Prisma cannot read back.
  await tx.$queryRaw`SELECT pg_notify(${SESSION_EVENTS_CHANNEL}, ${noticePayload(sessionId, stored)})::text AS sent`;
  return stored;
}

/**
 * Adds these requests' usage to the session's (SPEC: `usage` follows the runs) in one statement,
 * setting its status too when given; a key the stored usage lacks counts from 0.
 */
async function addUsage(tx: Prisma.TransactionClient, sessionId: string, requests: readonly ModelUsage[], status: string | undefined): Promise<void> {
  const sum = (key: keyof ModelUsage): number => requests.reduce((total, request) => total + request[key], 0);
  await tx.$executeRaw`
    UPDATE sessions SET
      status = COALESCE(${status ?? null}::text, status),
      usage = jsonb_build_object(
        'input_tokens', COALESCE((usage ->> 'input_tokens')::bigint, 0) + ${sum("input_tokens")}::bigint,
        'output_tokens', COALESCE((usage ->> 'output_tokens')::bigint, 0) + ${sum("output_tokens")}::bigint,
        'cache_read_input_tokens', COALESCE((usage ->> 'cache_read_input_tokens')::bigint, 0) + ${sum("cache_read_input_tokens")}::bigint,
        'cache_creation_input_tokens', COALESCE((usage ->> 'cache_creation_input_tokens')::bigint, 0) + ${sum("cache_creation_input_tokens")}::bigint)
    WHERE id = ${sessionId}`;
}
