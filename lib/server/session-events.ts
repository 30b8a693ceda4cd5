import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { ConsoleError, conflict, invalidField, notFound } from "@/lib/errors";
import { db } from "@/lib/instances";
import type { RunJob } from "@/lib/runner/protocol";
import { recordAudit, type RequestContext } from "@/lib/server/audit";
import { onSessionEventsNotice } from "@/lib/server/session-event-bus";
import { recalledEvents } from "@/lib/server/session-events-recent";
import { lockSession, recordEvents, type StoredSessionEvent } from "@/lib/server/record-events";
import { pageOf, type KeysetPage } from "@/lib/server/keyset-pages";
import { currentTurnUserEvents, dispatchRun, interruptRun, openRunFor, wakeRestingRun } from "@/lib/server/session-runs";
import { transaction } from "@/lib/server/transaction";
import { decodeCursor, LIST_LIMIT_DEFAULT } from "@/lib/validation/pagination";
import type { SessionEventListQuery, UserEventInput } from "@/lib/validation/session-events";
import { log } from "@/lib/ops/logger";

export { recordEvents, SESSION_EVENTS_CHANNEL, type NewSessionEvent, type StoredSessionEvent } from "@/lib/server/record-events";

// ── Sending user events ───────────────────────────────────────────────────────────────────────

/** What a user event answers: the event it names and the field that names it. */
const ANSWERS = {
  "user.tool_confirmation": { field: "tool_use_id", answers: "agent.tool_use" },
  "user.custom_tool_result": { field: "custom_tool_use_id", answers: "agent.custom_tool_use" },
} as const;

type AnswerType = keyof typeof ANSWERS;

function answeredId(event: UserEventInput): { type: AnswerType; id: string } | null {
  if (event.type === "user.tool_confirmation") return { type: event.type, id: event.tool_use_id };
  if (event.type === "user.custom_tool_result") return { type: event.type, id: event.custom_tool_use_id };
  return null;
}

/**
 * A tool confirmation or custom tool result must answer a tool use of this session that waits for
 * it: one that asked (a built-in tool under always_ask, or any custom tool), whose run is still
 * going, and that nothing answered before (in an earlier send or earlier in this one).
 */
async function checkAnswers(tx: Prisma.TransactionClient, sessionId: string, events: readonly UserEventInput[]): Promise<void> {
  const answeredHere = new Map<string, number>();
  for (const [index, event] of events.entries()) {
    const answer = answeredId(event);
    if (!answer) continue;
    const { field: name, answers } = ANSWERS[answer.type];
    const field = `events[${index}].${name}`;
    const target = await tx.sessionEvent.findUnique({
      where: { id: answer.id },
      select: { sessionId: true, type: true, payload: true, run: { select: { status: true } } },
    });
    if (!target || target.sessionId !== sessionId || target.type !== answers) {
      throw invalidField(field, `${JSON.stringify(answer.id)} names no ${answers} event of session ${sessionId}`);
    }
    const payload = target.payload as Record<string, unknown> | null;
    if (answers === "agent.tool_use" && payload?.evaluated_permission !== "ask") {
      throw new ConsoleError("conflict_error", `${field}: tool use ${answer.id} did not ask for confirmation`, { field });
    }
    const earlier = answeredHere.get(answer.id);
    if (earlier !== undefined) {
      throw new ConsoleError("conflict_error", `${field}: ${answer.id} is already answered by events[${earlier}]`, { field });
    }
    answeredHere.set(answer.id, index);
    const previous = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM session_events
      WHERE session_id = ${sessionId} AND type = ${answer.type} AND payload ->> ${name} = ${answer.id}
      LIMIT 1`;
    if (previous[0]) {
      throw new ConsoleError("conflict_error", `${field}: ${answer.id} was already answered by event ${previous[0].id}`, { field });
    }
    if (target.run?.status !== "running") {
      throw new ConsoleError("conflict_error", `${field}: ${answer.id} no longer waits for an answer: the run that asked has ended`, { field });
    }
  }
}

/**
 * Records the caller's user events in order (SPEC §7a) and sets the session's run going: a
 * user.message wakes the session's resting run or opens a run unless one is open (that one reads
 * it from its inbox), a user.interrupt stops the open run. An archived session takes no events.
 * One audit entry per send names the types and their count, never their content.
 */
export async function sendUserEvents(sessionId: string, events: readonly UserEventInput[], context: RequestContext): Promise<StoredSessionEvent[]> {
  const { stored, job } = await transaction(async (tx) => {
    const locked = await lockSession(tx, sessionId);
    if (!locked) throw notFound("Session", sessionId);
    if (locked.archivedAt) throw conflict(`Session ${sessionId} is archived; archived sessions take no events`);
    await checkAnswers(tx, sessionId, events);
    const stored = await recordEvents(
      tx,
      locked.id,
      events.map(({ type, ...payload }) => ({ type, payload })),
    );
    let job: RunJob | null = null;
    for (const event of events) {
      // A resting run (its runner up, its CLI too) takes the message: no new run, no claim.
      if (event.type === "user.message" && !job && !(await wakeRestingRun(tx, locked.id))) job = await openRunFor(tx, sessionId);
      // A run this very send opened and then cancelled must not be sent to a worker.
      if (event.type === "user.interrupt" && (await interruptRun(tx, locked.id)) === "cancelled_queued") job = null;
    }
    await recordAudit(tx, context, {
      action: "session.send_events",
      resourceType: "session",
      resourceId: sessionId,
      details: { types: events.map((event) => event.type), count: events.length },
    });
    return { stored, job };
  });
  if (job) await dispatchRun(job);
  return stored;
}

// ── Reading them ──────────────────────────────────────────────────────────────────────────────

async function requireSession(sessionId: string): Promise<void> {
  const session = await db().agentSession.findUnique({ where: { id: sessionId }, select: { id: true } });
  if (!session) throw notFound("Session", sessionId);
}

/** A session's events in `seq` order (ascending unless asked), keyset pages on seq. */
export async function listSessionEvents(sessionId: string, query: SessionEventListQuery): Promise<KeysetPage<StoredSessionEvent>> {
  await requireSession(sessionId);
  const limit = query.limit ?? LIST_LIMIT_DEFAULT;
  const order = query.order ?? "asc";
  // The session is part of the scope: a cursor pages only the list it came from.
  const scope = `session_events.${order}.${sessionId}`;
  const after = query.page === undefined ? undefined : decodeCursor(scope, query.page);
  const rows = await db().sessionEvent.findMany({
    where: {
      sessionId,
      ...(query["types[]"] ? { type: { in: query["types[]"] } } : {}),
      ...(after ? { seq: order === "asc" ? { gt: after.seq } : { lt: after.seq } } : {}),
    },
    orderBy: { seq: order },
    take: limit + 1,
  });
  return pageOf(rows, limit, scope);
}

/**
 * Where a new stream of the session starts (the `seq` it reads after). With a Last-Event-ID: just
 * after that event. Without: if a turn is open, just before the first user event it took or will
 * take, so a client that sends and then attaches sees its whole turn; otherwise after the last event.
 */
export async function sessionStreamStart(sessionId: string, lastEventId: string | null): Promise<bigint> {
  await requireSession(sessionId);
  if (lastEventId !== null) {
    const event = await db().sessionEvent.findUnique({ where: { id: lastEventId }, select: { sessionId: true, seq: true } });
    if (!event || event.sessionId !== sessionId) {
      throw invalidField("Last-Event-ID", `${JSON.stringify(lastEventId)} names no event of session ${sessionId}; reconnect without it to get new events`);
    }
    return event.seq;
  }
  const run = await db().sessionRun.findFirst({
    where: { sessionId, status: { in: ["queued", "running"] } },
    select: { id: true, restingSince: true, answeredThroughSeq: true },
  });
  // A resting run has no turn open; a woken one's turn starts after what it answered before its rest.
  if (run && !run.restingSince) {
    const first = await db().sessionEvent.findFirst({
      where: { sessionId, type: { startsWith: "user." }, OR: [currentTurnUserEvents(run), { processedAt: null }] },
      orderBy: { seq: "asc" },
      select: { seq: true },
    });
    if (first) return first.seq - 1n;
  }
  const last = await db().sessionEvent.findFirst({ where: { sessionId }, orderBy: { seq: "desc" }, select: { seq: true } });
  return last?.seq ?? 0n;
}

/** Why a subscription ended by itself: the session is gone, or reading its events failed. */
export type SubscriptionEnd = "deleted" | "failed";

/** How many events one read takes; a longer backlog is read in several. */
const READ_BATCH = 200;
/** A subscription reads on its own this often too, in case a notice was lost (or a deletion came). */
const RECHECK_MS = 15_000;

/**
 * Calls `onEvent` with each event of the session after `afterSeq`, in order, each once: on every
 * notice it reads `seq > cursor` from the database (see session-event-bus.ts), one read at a time.
 * The subscription is listening when the promise resolves, and the events already past `afterSeq`
 * are read right away. It ends by itself (`onEnd`) when the session is deleted or a read fails;
 * the returned function ends it from the caller's side.
 */
export async function subscribeSessionEvents(
  sessionId: string,
  afterSeq: bigint,
  onEvent: (event: StoredSessionEvent) => void,
  options: { onEnd?: (reason: SubscriptionEnd) => void } = {},
): Promise<() => void> {
  let cursor = afterSeq;
  let closed = false;
  let reading = false;
  let readAgain = false;
  /** Set once the first read is done: before it, the events between afterSeq and a notice's are unsent. */
  let caughtUp = false;
  let stopListening = () => undefined as void;

  const close = () => {
    closed = true;
    clearInterval(recheck);
    stopListening();
  };
  const end = (reason: SubscriptionEnd) => {
    if (closed) return;
    close();
    options.onEnd?.(reason);
  };

  const readNew = async (): Promise<void> => {
    if (closed) return;
    if (reading) {
      readAgain = true;
      return;
    }
    reading = true;
    try {
      do {
        readAgain = false;
        let batch: StoredSessionEvent[];
        do {
          batch = await db().sessionEvent.findMany({ where: { sessionId, seq: { gt: cursor } }, orderBy: { seq: "asc" }, take: READ_BATCH });
          for (const event of batch) {
            if (closed) return;
            cursor = event.seq;
            onEvent(event);
          }
        } while (batch.length === READ_BATCH);
        // Events go with their session (ON DELETE CASCADE): nothing new may mean nothing is left.
        if (batch.length === 0 && !closed && !(await db().agentSession.findUnique({ where: { id: sessionId }, select: { id: true } }))) {
          end("deleted");
          return;
        }
      } while (readAgain && !closed);
      caughtUp = true;
    } catch (error) {
      log().error({ session_id: sessionId, problem: error instanceof Error ? error.message : String(error) }, "session event stream: reading events failed");
      end("failed");
    } finally {
      reading = false;
    }
  };

  /**
   * A commit's events straight from this process's memory (session-events-recent.ts), when it
   * recorded them all: every earlier event of the session committed before them (the session row
   * lock orders its commits) and its notice came earlier, so the cursor is already past it. False
   * when any is missing: the caller reads from the database instead.
   */
  const sendRecalled = (committed: readonly bigint[]): boolean => {
    const events = recalledEvents(committed.filter((seq) => seq > cursor));
    if (!events) return false;
    for (const event of events) {
      if (closed) return true;
      if (event.seq <= cursor) continue;
      cursor = event.seq;
      onEvent(event);
    }
    return true;
  };

  const recheck = setInterval(() => void readNew(), RECHECK_MS);
  recheck.unref();
  try {
    stopListening = await onSessionEventsNotice(sessionId, ({ seqs }) => {
      if (!seqs || reading || !caughtUp || !sendRecalled(seqs)) void readNew();
    });
  } catch (error) {
    clearInterval(recheck);
    throw error;
  }
  void readNew();
  return close;
}
