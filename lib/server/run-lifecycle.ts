// How a run opens, ends and is swept: the part of the runs that scripts/start.ts (plain Node, the
// sweep timer) and the routes (through lib/server/session-runs.ts) share. No `server-only` marker:
// start.ts imports it outside Next, so it imports nothing that has one. Lock order in every
// transaction here: the session row first, then the run row (lockRun), so a send, a finish and a
// sweep never deadlock.
import { createHash, randomBytes } from "node:crypto";
import type { Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { db, runQueue } from "@/lib/instances";
import { settings } from "@/lib/env";
import { RUN_ATTEMPTS_MAX, type FinishRequest, type RunJob, type SessionErrorObject } from "@/lib/runner/protocol";
import { revokeApiKeyIn } from "@/lib/server/api-keys";
import { SYSTEM_CONTEXT } from "@/lib/server/audit";
import { lockRun, recordEvents, SESSION_EVENTS_CHANNEL, type LockedRun, type LockedSessionId, type NewSessionEvent } from "@/lib/server/record-events";
import { transaction } from "@/lib/server/transaction";
import { metrics } from "@/lib/ops/metrics";

export function hashClaimToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** A fresh claim token and when a queued run carrying it is swept if nobody claimed it. */
export function newClaim(now = new Date()): { token: string; hash: string; leaseExpiresAt: Date } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashClaimToken(token), leaseExpiresAt: leaseFrom(now) };
}

export function leaseFrom(now: Date): Date {
  return new Date(now.getTime() + settings().CONSOLE_RUN_LEASE_SECONDS * 1000);
}

/**
 * Opens a queued run for the session unless one is open already (that one takes the new message
 * through its inbox, or its finish opens the next run). The partial unique index on open runs
 * decides between two processes doing this at once: the loser gets no row and no job. Returns the
 * job to send once the caller's transaction has committed (dispatchRun), or null.
 */
export async function openRunFor(tx: Prisma.TransactionClient, sessionId: string): Promise<RunJob | null> {
  const claim = newClaim();
  const runId = newId("run");
  const inserted = await tx.$executeRaw`
    INSERT INTO session_runs (id, session_id, status, attempt, claim_token_hash, lease_expires_at)
    VALUES (${runId}, ${sessionId}, 'queued', 0, ${claim.hash}, ${claim.leaseExpiresAt})
    ON CONFLICT (session_id) WHERE status IN ('queued', 'running') DO NOTHING`;
  return inserted === 1 ? { run_id: runId, session_id: sessionId, claim_token: claim.token } : null;
}

/** Sends a committed run to the queue; without one (a tool process) the sweep sends it later. */
export async function dispatchRun(job: RunJob | null): Promise<void> {
  if (job) await runQueue()?.send(job);
}

/** The idle event that closes every turn the console ends itself. */
export const IDLE_END_TURN: NewSessionEvent = { type: "session.status_idle", payload: { stop_reason: { type: "end_turn" }, stop_details: null } };

export function sessionErrorEvent(error: SessionErrorObject): NewSessionEvent {
  return { type: "session.error", payload: { error } };
}

/**
 * User events still queued when a turn ends without taking them: an interrupt is about the turn
 * that ended (a later run must not take it and stop at once), so it is marked as this run's.
 */
async function settleQueuedInterrupts(tx: Prisma.TransactionClient, run: LockedRun, now: Date): Promise<void> {
  await tx.sessionEvent.updateMany({
    where: { sessionId: run.sessionId, processedAt: null, type: "user.interrupt" },
    data: { processedAt: now, runId: run.id },
  });
}

/** The next run, when user messages arrived after this one stopped taking them. */
async function openRunForQueuedMessages(tx: Prisma.TransactionClient, sessionId: string): Promise<RunJob | null> {
  const queued = await tx.sessionEvent.count({ where: { sessionId, processedAt: null, type: "user.message" } });
  return queued > 0 ? openRunFor(tx, sessionId) : null;
}

/** The end of a runner's attempt, as the runner (finish) or its worker or the sweep (runner_died) reports it. */
export type AttemptEnding = FinishRequest;

/**
 * Ends the locked running run's current attempt in the caller's transaction: revokes the attempt's
 * key (and its placeholders), adds the attempt's time to the session, records how the turn ended,
 * and returns the job to dispatch after commit: the retry of a died runner, or the next run when
 * user messages are queued.
 */
export async function endAttempt(tx: Prisma.TransactionClient, run: LockedRun, ending: AttemptEnding, now = new Date()): Promise<RunJob | null> {
  if (run.apiKeyId) await revokeApiKeyIn(tx, run.apiKeyId, SYSTEM_CONTEXT, `run ${run.id} attempt ${run.attempt} ended (${ending.outcome})`);
  if (run.restingSince) {
    // Its turns were all answered and recorded when it went to rest: the run just closes, whether
    // its rest ran out, its runner died meanwhile, or a waiting run needed the runner's place.
    await tx.sessionRun.update({ where: { id: run.id }, data: { status: "succeeded", endedAt: now, claimTokenHash: null, restingSince: null } });
    return null;
  }
  const activeSeconds = run.startedAt ? Math.max(0, (now.getTime() - run.startedAt.getTime()) / 1000) : 0;
  await tx.agentSession.update({
    where: { id: run.sessionId },
    data: {
      activeSeconds: { increment: activeSeconds },
      ...(ending.outcome !== "runner_died" && ending.agent_sdk_session_id ? { agentSdkSessionId: ending.agent_sdk_session_id } : {}),
    },
  });

  metrics().runnerTurns.inc({ outcome: ending.outcome });
  if (ending.outcome === "runner_died" && run.attempt < RUN_ATTEMPTS_MAX) {
    // Retried once: a new claim token (the old job, if it is ever delivered again, claims nothing).
    const claim = newClaim(now);
    await tx.sessionRun.update({
      where: { id: run.id },
      data: { status: "queued", claimTokenHash: claim.hash, leaseExpiresAt: claim.leaseExpiresAt, apiKeyId: null, workerId: null },
    });
    await recordEvents(tx, run.sessionId, [{ type: "session.status_rescheduled", payload: {} }], { runId: run.id });
    return { run_id: run.id, session_id: run.sessionId, claim_token: claim.token };
  }

  const error: SessionErrorObject | null =
    ending.outcome === "error"
      ? ending.error
      : ending.outcome === "runner_died"
        ? {
            type: "unknown_error",
            message: `The runner stopped twice without finishing the turn; the last time: ${ending.detail}`,
            retry_status: { type: "terminal" },
          }
        : null;
  const status = ending.outcome === "end_turn" ? "succeeded" : ending.outcome === "interrupted" ? "interrupted" : "failed";
  await tx.sessionRun.update({
    where: { id: run.id },
    data: { status, endedAt: now, claimTokenHash: null, ...(error ? { error: error as Prisma.InputJsonObject } : {}) },
  });
  await settleQueuedInterrupts(tx, run, now);
  await recordEvents(tx, run.sessionId, error ? [sessionErrorEvent(error), IDLE_END_TURN] : [IDLE_END_TURN], { runId: run.id });
  return openRunForQueuedMessages(tx, run.sessionId);
}

/**
 * Puts the locked running run to rest (POST /v1/runs/{run_id}/rest): its turn ends as a finish
 * would end it (the active time, the Agent SDK session to resume, session.status_idle) but the run
 * stays open with its key, so its runner keeps polling the inbox with the CLI up. The user events
 * answered so far are marked, so that a retry after the runner dies replays only later ones.
 */
export async function restAttempt(tx: Prisma.TransactionClient, run: LockedRun, agentSdkSessionId: string | null, now = new Date()): Promise<void> {
  const activeSeconds = run.startedAt ? Math.max(0, (now.getTime() - run.startedAt.getTime()) / 1000) : 0;
  await tx.agentSession.update({
    where: { id: run.sessionId },
    data: { activeSeconds: { increment: activeSeconds }, ...(agentSdkSessionId ? { agentSdkSessionId } : {}) },
  });
  metrics().runnerTurns.inc({ outcome: "end_turn" });
  const [answered] = await tx.$queryRaw<{ seq: bigint | null }[]>`
    SELECT max(seq) AS seq FROM session_events WHERE run_id = ${run.id} AND type LIKE 'user.%'`;
  await tx.sessionRun.update({
    where: { id: run.id },
    data: { restingSince: now, answeredThroughSeq: answered?.seq ?? null, leaseExpiresAt: leaseFrom(now) },
  });
  await settleIdleInterrupts(tx, run.sessionId, now);
  await recordEvents(tx, run.sessionId, [IDLE_END_TURN], { runId: run.id });
}

/**
 * A user.message to a session whose run rests: the run takes it from its inbox on the CLI that is
 * still up, and its turn starts now (session.status_running, as a claim records it). False when
 * no run of the session rests.
 */
export async function wakeRestingRun(tx: Prisma.TransactionClient, sessionId: LockedSessionId, now = new Date()): Promise<boolean> {
  const [woken] = await tx.$queryRaw<{ id: string }[]>`
    UPDATE session_runs SET resting_since = NULL, started_at = ${now}
    WHERE session_id = ${sessionId} AND status = 'running' AND resting_since IS NOT NULL
    RETURNING id`;
  if (!woken) return false;
  await recordEvents(tx, sessionId, [{ type: "session.status_running", payload: {} }], { runId: woken.id });
  return true;
}

/** Interrupts with no turn to stop (the session idle, its run resting or none): answered as they are, so no later turn takes them. */
async function settleIdleInterrupts(tx: Prisma.TransactionClient, sessionId: string, now: Date): Promise<void> {
  await tx.sessionEvent.updateMany({ where: { sessionId, processedAt: null, type: "user.interrupt" }, data: { processedAt: now } });
}

/**
 * What a user.interrupt does to the session's open run, in the sender's transaction (after the
 * interrupt is recorded): a queued run is cancelled, with the user events it would have taken, and
 * the session goes idle; a running one learns of it through its inbox. With no turn going (no open
 * run, or a resting one) there is nothing to stop, and the interrupt is answered as it is.
 */
export async function interruptRun(tx: Prisma.TransactionClient, sessionId: LockedSessionId): Promise<"cancelled_queued" | "signalled" | "none"> {
  const [open] = await tx.$queryRaw<{ id: string; status: string; resting: boolean }[]>`
    SELECT id, status, resting_since IS NOT NULL AS resting FROM session_runs
    WHERE session_id = ${sessionId} AND status IN ('queued', 'running') FOR UPDATE`;
  const now = new Date();
  if (!open || open.resting) {
    await settleIdleInterrupts(tx, sessionId, now);
    return "none";
  }
  if (open.status === "running") return "signalled";
  await tx.sessionRun.update({ where: { id: open.id }, data: { status: "cancelled", endedAt: now, claimTokenHash: null } });
  await tx.sessionEvent.updateMany({ where: { sessionId, processedAt: null, type: { startsWith: "user." } }, data: { processedAt: now, runId: open.id } });
  await recordEvents(tx, sessionId, [IDLE_END_TURN], { runId: open.id });
  return "cancelled_queued";
}

/** What one sweep did, for the log. */
export interface SweepResult {
  resent: number;
  died: number;
}

/**
 * Runs past their lease (each console process calls this every few seconds): a queued run nobody
 * claimed gets a new claim token and is sent again; a running one whose runner went silent is
 * treated as if its runner died (retried once, then a session.error). No session stays running.
 */
export async function sweepRuns(now = new Date()): Promise<SweepResult> {
  const expired = await db().sessionRun.findMany({
    where: { status: { in: ["queued", "running"] }, leaseExpiresAt: { lt: now } },
    select: { id: true },
    orderBy: { leaseExpiresAt: "asc" },
    take: 100,
  });
  const result: SweepResult = { resent: 0, died: 0 };
  for (const candidate of expired) {
    const job = await transaction(async (tx): Promise<RunJob | null> => {
      const run = await lockRun(tx, candidate.id);
      // Another process swept it, or its runner spoke, since the list was read.
      if (!run || run.leaseExpiresAt >= now) return null;
      if (run.status === "queued") {
        const claim = newClaim(now);
        await tx.sessionRun.update({ where: { id: run.id }, data: { claimTokenHash: claim.hash, leaseExpiresAt: claim.leaseExpiresAt } });
        result.resent += 1;
        return { run_id: run.id, session_id: run.sessionId, claim_token: claim.token };
      }
      if (run.status !== "running") return null;
      result.died += 1;
      return endAttempt(
        tx,
        run,
        { outcome: "runner_died", detail: `no word from the runner for ${settings().CONSOLE_RUN_LEASE_SECONDS} s (its lease expired)` },
        now,
      );
    });
    await dispatchRun(job);
  }
  return result;
}

/**
 * A queued run still unclaimed this long is taken to be waiting for a worker's free place: longer
 * than two of a remote worker's polls (pg-boss-queue.ts), which a free worker answers within one.
 */
const WAITING_RUN_MS = 2500;

/**
 * Makes room for runs waiting for a runner while others rest (each console process calls this every
 * second): for each queued run unclaimed for WAITING_RUN_MS, the run resting longest is ended, and
 * its runner, woken in its inbox poll, exits and frees its worker's place. Returns how many ended.
 */
export async function releaseRestingRuns(now = new Date()): Promise<number> {
  const queuedBefore = new Date(now.getTime() + settings().CONSOLE_RUN_LEASE_SECONDS * 1000 - WAITING_RUN_MS);
  // A queued run's lease runs from when it was queued (or sent again), so an older one expires sooner.
  const waiting = await db().sessionRun.count({ where: { status: "queued", leaseExpiresAt: { lt: queuedBefore } } });
  if (waiting === 0) return 0;
  const resting = await db().sessionRun.findMany({
    where: { status: "running", restingSince: { not: null } },
    select: { id: true },
    orderBy: { restingSince: "asc" },
    take: waiting,
  });
  let released = 0;
  for (const candidate of resting) {
    if (await transaction((tx) => endRestingRun(tx, candidate.id, now))) released += 1;
  }
  return released;
}

/**
 * Ends the run if it rests (see endAttempt) and wakes its runner's inbox poll, which then answers
 * run_open: false, so the runner exits. False when it does not rest (any more).
 */
async function endRestingRun(tx: Prisma.TransactionClient, runId: string, now: Date): Promise<boolean> {
  const run = await lockRun(tx, runId);
  if (run?.status !== "running" || !run.restingSince) return false;
  await endAttempt(tx, run, { outcome: "end_turn", agent_sdk_session_id: null }, now);
  await tx.$executeRaw`SELECT pg_notify(${SESSION_EVENTS_CHANNEL}, ${run.sessionId})`;
  return true;
}

/** An archived session takes no more messages: its resting run, if any, ends with the archive. */
export async function endSessionRest(tx: Prisma.TransactionClient, sessionId: string, now = new Date()): Promise<void> {
  const [resting] = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM session_runs WHERE session_id = ${sessionId} AND status = 'running' AND resting_since IS NOT NULL`;
  if (resting) await endRestingRun(tx, resting.id, now);
}
