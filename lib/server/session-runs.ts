import "server-only";
import type { Prisma, SessionRun } from "@/lib/generated/prisma/client";
import { settings } from "@/lib/env";
import { ConsoleError, invalidField, notFound } from "@/lib/errors";
import { db } from "@/lib/instances";
import {
  INBOX_WAIT_MAX_MS,
  type FinishRequest,
  type RestRequest,
  type RestResponse,
  type RunClaim,
  type RuntimeEvent,
  type SessionErrorObject,
} from "@/lib/runner/protocol";
import { serializeSessionEvent, type SessionEventObject } from "@/lib/serializers/session-events";
import { createApiKeyIn } from "@/lib/server/api-keys";
import { SYSTEM_CONTEXT } from "@/lib/server/audit";
import { dispatchRun, endAttempt, hashClaimToken, IDLE_END_TURN, leaseFrom, restAttempt, sessionErrorEvent } from "@/lib/server/run-lifecycle";
import { lockRun, lockRunRow, type LockedRun } from "@/lib/server/record-events";
import { readinessChecksOf } from "@/lib/server/session-diagnostics";
import { SESSION_REACH_SELECT, type SessionReach } from "@/lib/server/egress-reach";
import { recordEvents } from "@/lib/server/session-events";
import { onSessionEventsNotice } from "@/lib/server/session-event-bus";
import { toolPolicyOf } from "@/lib/server/agent-tools";
import { transaction } from "@/lib/server/transaction";
import { serializeRuntimeSettings } from "@/lib/serializers/runtime";
import { CONSOLE_DOOR, DEFAULT_CA_PATH, issuePlaceholderIn, settingsWithPlaceholder, type RuntimeMode } from "@/lib/server/runtime-settings";
import { storedModel, storedAgentSnapshot } from "@/lib/validation/agents";

// What the events service and the sweep call (their home is run-lifecycle.ts, which plain Node can import).
export { dispatchRun, hashClaimToken, interruptRun, newClaim, openRunFor, sweepRuns, wakeRestingRun } from "@/lib/server/run-lifecycle";

/** A runner's key lives as long as a long turn may; it is revoked as soon as the attempt ends. */
const RUN_KEY_LIFETIME_MS = 6 * 60 * 60 * 1000;

function notClaimable(runId: string): ConsoleError {
  return new ConsoleError("conflict_error", `Run ${runId} cannot be claimed: it was claimed already, has ended, or the claim token is not its current one`, {
    details: { error_code: "run_not_claimable" },
  });
}

/** The first failing readiness check as the session.error message says it, or null when the session is ready. */
function notReadyMessage(reach: SessionReach): string | null {
  const failing = readinessChecksOf(reach.vaults.map((link) => link.vault)).find((entry) => !entry.ok);
  if (!failing) return null;
  return `Session has no LLM output: ${failing.message}. Fix: ${failing.fix ?? "see GET /v1/sessions/{session_id}/diagnostics"}`;
}

/**
 * `POST /v1/runs/{run_id}/claim`: the one worker holding the job's current claim token takes the
 * queued run. It gets a runtime key scoped to this session alone (revoked when the attempt ends)
 * and the agent to run. A session that could produce no LLM output ends the run at once with a
 * session.error saying why, and the claim answers 409 session_not_ready.
 */
export async function claimRun(
  runId: string,
  input: { claim_token: string; worker_id: string },
  caller: { publicOrigin: string; requestId?: string } | null = null,
): Promise<RunClaim> {
  // The session's vaults and environment, read once before the transaction for both its readiness
  // and, once claimed, the runner's egress settings.
  const found = await db().sessionRun.findUnique({ where: { id: runId }, select: { sessionId: true, session: { select: SESSION_REACH_SELECT } } });
  if (!found) throw notFound("Run", runId);
  const notReady = notReadyMessage(found.session);
  const now = new Date();
  const outcome = await transaction(async (tx) => {
    const run = await lockRun(tx, runId);
    if (!run || run.status !== "queued" || run.claimTokenHash !== hashClaimToken(input.claim_token)) return { kind: "not_claimable" as const };
    const attempt = run.attempt + 1;
    if (notReady) {
      const error: SessionErrorObject = { type: "model_request_failed_error", message: notReady, retry_status: { type: "terminal" } };
      await tx.sessionRun.update({
        where: { id: runId },
        data: { status: "failed", attempt, claimTokenHash: null, workerId: input.worker_id, startedAt: now, endedAt: now, error },
      });
      // The messages that asked for this turn are answered by the error; the next message opens a new run.
      await tx.sessionEvent.updateMany({
        where: { sessionId: run.sessionId, processedAt: null, type: { startsWith: "user." } },
        data: { processedAt: now, runId },
      });
      await recordEvents(tx, run.sessionId, [sessionErrorEvent(error), IDLE_END_TURN], { runId });
      return { kind: "not_ready" as const, message: notReady };
    }
    const session = await tx.agentSession.findUniqueOrThrow({
      where: { id: run.sessionId },
      select: { agentSnapshot: true, agentSdkSessionId: true, archivedAt: true },
    });
    const keyExpiresAt = new Date(now.getTime() + RUN_KEY_LIFETIME_MS);
    const minted = await createApiKeyIn(
      tx,
      { name: `runner ${runId} attempt ${attempt}`, role: "runtime", expiresAt: keyExpiresAt, scope: { sessionIds: [run.sessionId] } },
      SYSTEM_CONTEXT,
    );
    const egressPort = settings().CONSOLE_EGRESS_PORT;
    const mode: RuntimeMode = egressPort === 0 ? "boundary" : "egress";
    // The placeholder the runner would ask for first thing with its new key, issued here (one round
    // trip fewer before its turn), under the session lock taken above and audited under that key.
    // The key was minted a moment ago for this session alone and the session's readiness was read
    // just before: issueRuntimeSettings's checks would repeat both.
    const placeholder =
      caller && !session.archivedAt
        ? await issuePlaceholderIn(
            tx,
            { sessionId: run.sessionId, apiKeyId: minted.apiKey.id, expiresAt: keyExpiresAt },
            { actor: { kind: "api_key", id: minted.apiKey.id }, requestId: caller.requestId },
            mode,
          )
        : null;
    await tx.sessionRun.update({
      where: { id: runId },
      data: {
        status: "running",
        attempt,
        claimTokenHash: null,
        workerId: input.worker_id,
        apiKeyId: minted.apiKey.id,
        startedAt: now,
        leaseExpiresAt: leaseFrom(now),
      },
    });
    await recordEvents(tx, run.sessionId, [{ type: "session.status_running", payload: {} }], { runId });
    // The runner's first inbox look, answered here (see takeInbox): its turn starts without asking.
    await tx.sessionEvent.updateMany({
      where: { sessionId: run.sessionId, processedAt: null, type: { startsWith: "user." } },
      data: { processedAt: now, runId },
    });
    const inbox = await tx.sessionEvent.findMany({ where: currentTurnUserEvents(run), orderBy: { seq: "asc" } });
    const snapshot = storedAgentSnapshot(session.agentSnapshot);
    const claim: RunClaim = {
      type: "run_claim",
      run_id: runId,
      session_id: run.sessionId,
      attempt,
      api_key: minted.key,
      resume: session.agentSdkSessionId,
      egress_port: egressPort === 0 ? null : egressPort,
      agent: { model: storedModel(snapshot.model).id, system: snapshot.system, tools: toolPolicyOf(session.agentSnapshot) },
      inbox: inbox.map(serializeSessionEvent),
      rest_seconds: settings().CONSOLE_RUNNER_REST_SECONDS,
    };
    return { kind: "claimed" as const, claim, placeholder, mode };
  });
  if (outcome.kind === "not_claimable") throw notClaimable(runId);
  if (outcome.kind === "not_ready") {
    throw new ConsoleError("conflict_error", outcome.message, { details: { error_code: "session_not_ready" } });
  }
  if (!caller || !outcome.placeholder) return outcome.claim;
  return { ...outcome.claim, runtime: await runtimeForClaim(outcome.claim.session_id, outcome.placeholder, outcome.mode, caller.publicOrigin, found.session) };
}

/**
 * The runtime settings around the placeholder the claim issued: exactly what
 * `POST /v1/sessions/{id}/runtime` answers. Null when they cannot be built (the egress CA not
 * loaded, say): the runner then asks itself and meets the refusal there.
 */
async function runtimeForClaim(
  sessionId: string,
  placeholder: string,
  mode: RuntimeMode,
  publicOrigin: string,
  reach: SessionReach,
): Promise<RunClaim["runtime"]> {
  try {
    const issued = await settingsWithPlaceholder(sessionId, placeholder, publicOrigin, { mode, caPath: DEFAULT_CA_PATH, door: CONSOLE_DOOR }, reach);
    return { settings: serializeRuntimeSettings(issued), ca_path: DEFAULT_CA_PATH };
  } catch {
    return null;
  }
}

/** Refusal of a key that is not the one minted for the run's current attempt. */
function notTheRunKey(runId: string): ConsoleError {
  return new ConsoleError(
    "permission_error",
    `This API key is not the key minted for run ${runId}'s current attempt; a runner uses the key its claim returned`,
  );
}

/**
 * The run, when `apiKeyId` is the key minted for its current attempt: any other key (another run's,
 * or this run's from an earlier attempt) is refused, an unknown run is a 404.
 */
async function runOfKey(runId: string, apiKeyId: string): Promise<SessionRun> {
  const run = await db().sessionRun.findUnique({ where: { id: runId } });
  if (!run) throw notFound("Run", runId);
  if (run.apiKeyId !== apiKeyId) throw notTheRunKey(runId);
  return run;
}

/**
 * The run, locked with its session, when it is running under this key (refused as runOfKey
 * refuses); a 409 once it has ended. Nothing is read before: the locks are the first statements.
 */
async function lockRunningRun(tx: Prisma.TransactionClient, runId: string, apiKeyId: string): Promise<LockedRun> {
  const run = await lockRun(tx, runId);
  if (!run) throw notFound("Run", runId);
  if (run.apiKeyId !== apiKeyId) throw notTheRunKey(runId);
  if (run.status !== "running") {
    throw new ConsoleError("conflict_error", `Run ${runId} has ended; its runner should stop`, { details: { error_code: "run_not_running" } });
  }
  return run;
}

/**
 * The user events of the run's current turn: all of the run's, but those it answered before it
 * last rested. An attempt's first inbox replays them; a stream attached now starts at them.
 */
export function currentTurnUserEvents(run: Pick<SessionRun, "id" | "answeredThroughSeq">): Prisma.SessionEventWhereInput {
  return { runId: run.id, type: { startsWith: "user." }, ...(run.answeredThroughSeq === null ? {} : { seq: { gt: run.answeredThroughSeq } }) };
}

/**
 * One look at the inbox: takes the session's queued user events for the run (processed_at, run_id),
 * extends the lease, and returns the run's user events after `afterSeq` (all of them without one,
 * so a retried attempt replays its turn). Nothing is taken once the run has ended.
 */
async function takeInbox(run: SessionRun, apiKeyId: string, afterSeq: bigint | null): Promise<{ data: SessionEventObject[]; run_open: boolean }> {
  return transaction(async (tx) => {
    const current = await lockRunRow(tx, run.id);
    if (current?.status !== "running" || current.apiKeyId !== apiKeyId) return { data: [], run_open: false };
    const now = new Date();
    await tx.sessionEvent.updateMany({
      where: { sessionId: run.sessionId, processedAt: null, type: { startsWith: "user." } },
      data: { processedAt: now, runId: run.id },
    });
    await tx.sessionRun.update({ where: { id: run.id }, data: { leaseExpiresAt: leaseFrom(now) } });
    const events = await tx.sessionEvent.findMany({
      where: afterSeq === null ? currentTurnUserEvents(current) : { runId: run.id, type: { startsWith: "user." }, seq: { gt: afterSeq } },
      orderBy: { seq: "asc" },
    });
    return { data: events.map(serializeSessionEvent), run_open: true };
  });
}

/**
 * `GET /v1/runs/{run_id}/inbox`: the user events the run is to act on (see protocol.ts), waiting up
 * to `wait_ms` for one when there are none; `run_open: false` once the run has ended.
 */
export async function runInbox(
  runId: string,
  apiKeyId: string,
  query: { after?: string; wait_ms?: number },
): Promise<{ data: SessionEventObject[]; run_open: boolean }> {
  const run = await runOfKey(runId, apiKeyId);
  let afterSeq: bigint | null = null;
  if (query.after !== undefined) {
    const after = await db().sessionEvent.findFirst({ where: { id: query.after, runId }, select: { seq: true } });
    if (!after) throw invalidField("after", `${JSON.stringify(query.after)} is not an event this run took`);
    afterSeq = after.seq;
  }
  const deadline = Date.now() + Math.min(query.wait_ms ?? 0, INBOX_WAIT_MAX_MS);
  // Listening before each read, so an event recorded between the read and the wait still wakes it.
  let news = false;
  let wake: () => void = () => undefined;
  const stop = await onSessionEventsNotice(run.sessionId, ({ outputOnly }) => {
    // The agent's own output (this run's events posts, mostly) brings the inbox nothing: no read for it.
    if (outputOnly) return;
    news = true;
    wake();
  });
  try {
    for (;;) {
      news = false;
      const inbox = await takeInbox(run, apiKeyId, afterSeq);
      if (inbox.data.length > 0 || !inbox.run_open || Date.now() >= deadline) return inbox;
      if (!news) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  } finally {
    stop();
  }
}

/**
 * `POST /v1/runs/{run_id}/events`: the runner's events, recorded as this run's, in order. A
 * tool_result must answer an agent.tool_use this run recorded. Extends the lease.
 */
export async function recordRunEvents(runId: string, apiKeyId: string, events: RuntimeEvent[]): Promise<SessionEventObject[]> {
  return transaction(async (tx) => {
    const run = await lockRunningRun(tx, runId, apiKeyId);
    const toolUseIds = events.flatMap((event, index) => (event.type === "agent.tool_result" ? [{ id: event.tool_use_id, index }] : []));
    if (toolUseIds.length > 0) {
      const known = await tx.sessionEvent.findMany({
        where: { id: { in: toolUseIds.map((entry) => entry.id) }, runId, type: "agent.tool_use" },
        select: { id: true },
      });
      const knownIds = new Set(known.map((entry) => entry.id));
      const unknown = toolUseIds.find((entry) => !knownIds.has(entry.id));
      if (unknown) throw invalidField(`events[${unknown.index}].tool_use_id`, `${JSON.stringify(unknown.id)} is not an agent.tool_use event of this run`);
    }
    await tx.sessionRun.update({ where: { id: runId }, data: { leaseExpiresAt: leaseFrom(new Date()) } });
    const stored = await recordEvents(
      tx,
      run.sessionId,
      events.map(({ type, ...payload }) => ({ type, payload })),
      { runId },
    );
    return stored.map(serializeSessionEvent);
  });
}

/** Key lifetime a rest must leave for the turn that may follow it. */
const TURN_AFTER_REST_SECONDS = 60 * 60;

/** How long a run may rest now: the configured rest, or none when its key would not outlast the rest and a long turn after it. */
async function restSecondsOf(tx: Prisma.TransactionClient, run: LockedRun, now: Date): Promise<number> {
  const rest = settings().CONSOLE_RUNNER_REST_SECONDS;
  const key = run.apiKeyId ? await tx.apiKey.findUnique({ where: { id: run.apiKeyId }, select: { expiresAt: true } }) : null;
  const keyLeftSeconds = key?.expiresAt ? (key.expiresAt.getTime() - now.getTime()) / 1000 : 0;
  return keyLeftSeconds >= rest + TURN_AFTER_REST_SECONDS ? rest : 0;
}

/**
 * `POST /v1/runs/{run_id}/rest`: the runner answered every message it took and would wait for the
 * next (see restAttempt). Not while messages wait that it has not taken, nor without rest time
 * left: `resting: false`, nothing recorded, and the runner takes them or finishes.
 */
export async function restRun(runId: string, apiKeyId: string, request: RestRequest): Promise<RestResponse> {
  return transaction(async (tx) => {
    const run = await lockRunningRun(tx, runId, apiKeyId);
    const now = new Date();
    const restSeconds = await restSecondsOf(tx, run, now);
    const answer = (resting: boolean): RestResponse => ({ type: "run_rest", run_id: runId, resting, rest_seconds: resting ? restSeconds : 0 });
    if (run.restingSince) return answer(true);
    if (restSeconds === 0) return answer(false);
    const waiting = await tx.sessionEvent.count({ where: { sessionId: run.sessionId, processedAt: null, type: "user.message" } });
    if (waiting > 0) return answer(false);
    await restAttempt(tx, run, request.agent_sdk_session_id, now);
    return answer(true);
  });
}

/** `POST /v1/runs/{run_id}/finish`: ends the attempt (see endAttempt); the next job goes out after commit. */
export async function finishRun(runId: string, apiKeyId: string, request: FinishRequest): Promise<{ type: "run_finished"; run_id: string }> {
  const job = await transaction(async (tx) => endAttempt(tx, await lockRunningRun(tx, runId, apiKeyId), request));
  await dispatchRun(job);
  return { type: "run_finished", run_id: runId };
}
