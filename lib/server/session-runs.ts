import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { runQueue } from "@/lib/instances";
import { RUN_LEASE_SECONDS, type RunJob } from "@/lib/runner/protocol";

export function hashClaimToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** A fresh claim token and when a queued run carrying it is swept if nobody claimed it. */
export function newClaim(now = new Date()): { token: string; hash: string; leaseExpiresAt: Date } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashClaimToken(token), leaseExpiresAt: new Date(now.getTime() + RUN_LEASE_SECONDS * 1000) };
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
export async function dispatchRun(job: RunJob): Promise<void> {
  await runQueue()?.send(job);
}

/**
 * PLACEHOLDER until the runs branch is merged (its interruptRun replaces this one): what a
 * user.interrupt does to the session's open run. Without runs there is nothing to interrupt.
 */
export async function interruptRun(_tx: Prisma.TransactionClient, _sessionId: string): Promise<"cancelled_queued" | "signalled" | "none"> {
  return "none";
}
