import "server-only";
import { createHmac } from "node:crypto";
import type { Prisma, User } from "@/lib/generated/prisma/client";
import { authSecretOrThrow } from "@/lib/auth/secret";
import { decoyPasswordHash, verifyPassword } from "@/lib/crypto/passwords";
import { db } from "@/lib/instances";
import { authSecret } from "@/lib/instances";
import { recordAudit } from "@/lib/server/audit";
import { transaction } from "@/lib/server/transaction";
import { metrics } from "@/lib/ops/metrics";

/**
 * Sign-in throttling that nobody can aim at someone else (SPEC §9).
 *
 * - Per (email, client address) pair: a few free attempts, then waits that double up to a cap.
 *   An attacker's failures from their address slow only their own guessing at that email; the
 *   owner, from any other address, is not touched.
 * - Per email, across every client: past a number of recent failures, attempts are spaced out by
 *   a couple of seconds. That bounds guessing from many addresses at once, and only slows the owner
 *   (by seconds, never minutes). A client that has signed in to that email before is not spaced.
 * - Nothing is counted per address alone: behind a proxy or a NAT, an address is many people.
 *
 * The counters live in the database (each change one atomic statement) so they hold across
 * processes. An attempt is counted before its password is checked, so a burst of parallel guesses
 * cannot all slip in before the first failure is written. Emails are stored only as an HMAC under
 * the session secret: whatever was typed into the email field (a password, by mistake) is never
 * in a table, not even as a hash that a dictionary could reverse.
 */
export const SIGN_IN_THROTTLE = {
  pair: {
    freeAttempts: 5,
    firstWaitSeconds: 1,
    maxWaitSeconds: 15 * 60,
    /** A pair quiet for this long starts again with free attempts. */
    forgetAfterSeconds: 24 * 60 * 60,
  },
  email: { failuresBeforeSpacing: 10, windowSeconds: 15 * 60, spacingSeconds: 2 },
  /** A pair that signed in within this time is a known client: the per-email spacing spares it. */
  knownClientSeconds: 30 * 24 * 60 * 60,
} as const;

/** Stale rows are swept now and then, on a failure, so random emails cannot grow the table for ever. */
const PRUNE_PROBABILITY = 1 / 200;

export type SignInOutcome =
  { ok: true; user: User } | { ok: false; reason: "invalid" | "disabled" } | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

interface ThrottleKeys {
  pair: string;
  email: string;
}

function throttleKeys(email: string, clientAddress: string | undefined): ThrottleKeys {
  const secret = authSecretOrThrow(authSecret());
  const emailHash = createHmac("sha256", secret).update(`sign-in-throttle\0${email}`, "utf8").digest("base64url");
  return { pair: `pair:${emailHash}|${clientAddress ?? "unknown"}`, email: `email:${emailHash}` };
}

function secondsUntil(date: Date | null | undefined): number {
  return Math.max(1, Math.ceil(((date?.getTime() ?? 0) - Date.now()) / 1000));
}

const { pair: PAIR, email: EMAIL } = SIGN_IN_THROTTLE;

/**
 * Counts one attempt for the pair unless it is waiting out a back-off. Returns the pair's state
 * after counting, or the end of its wait. The wait set here applies to the pair's next attempt.
 */
async function claimPairAttempt(key: string): Promise<{ claimed: true; lastSuccessAt: Date | null } | { claimed: false; retryAfterSeconds: number }> {
  const rows = await db().$queryRaw<{ last_success_at: Date | null }[]>`
    WITH settings AS (
      SELECT ${PAIR.freeAttempts}::int AS free, ${PAIR.firstWaitSeconds}::float8 AS first_wait,
             ${PAIR.maxWaitSeconds}::float8 AS max_wait, make_interval(secs => ${PAIR.forgetAfterSeconds}::float8) AS forget
    )
    INSERT INTO sign_in_throttles AS t (key, failures, window_started_at, last_attempt_at, blocked_until)
    SELECT ${key}, 1, now(), now(),
           CASE WHEN 1 >= free THEN now() + make_interval(secs => first_wait) END
    FROM settings
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN t.last_attempt_at < now() - (SELECT forget FROM settings) THEN 1 ELSE t.failures + 1 END,
      window_started_at = CASE WHEN t.last_attempt_at < now() - (SELECT forget FROM settings) THEN now() ELSE t.window_started_at END,
      last_attempt_at = now(),
      blocked_until = (
        SELECT CASE WHEN counted >= free
                    THEN now() + make_interval(secs => LEAST(max_wait, first_wait * power(2, LEAST(counted - free, 30))))
               END
        FROM settings,
             LATERAL (SELECT CASE WHEN t.last_attempt_at < now() - forget THEN 1 ELSE t.failures + 1 END AS counted) AS next
      )
    WHERE t.blocked_until IS NULL OR t.blocked_until <= now()
    RETURNING t.last_success_at`;
  const row = rows[0];
  if (row) return { claimed: true, lastSuccessAt: row.last_success_at };
  const blocked = await db().signInThrottle.findUnique({ where: { key }, select: { blockedUntil: true } });
  return { claimed: false, retryAfterSeconds: secondsUntil(blocked?.blockedUntil) };
}

/**
 * Once an email has many recent failures, each attempt takes a slot of `spacingSeconds`. Taking
 * the slot is one conditional update, so two attempts on two processes never share one.
 */
async function claimEmailSlot(key: string): Promise<number | null> {
  const window = EMAIL.windowSeconds;
  const taken = await db().$executeRaw`
    UPDATE sign_in_throttles SET blocked_until = now() + make_interval(secs => ${EMAIL.spacingSeconds}::float8)
    WHERE key = ${key} AND failures >= ${EMAIL.failuresBeforeSpacing}::int
      AND window_started_at >= now() - make_interval(secs => ${window}::float8)
      AND (blocked_until IS NULL OR blocked_until <= now())`;
  if (taken > 0) return null;
  const row = await db().signInThrottle.findUnique({
    where: { key },
    select: { failures: true, windowStartedAt: true, blockedUntil: true },
  });
  const spacing =
    row !== null &&
    row.failures >= EMAIL.failuresBeforeSpacing &&
    row.windowStartedAt.getTime() >= Date.now() - window * 1000 &&
    row.blockedUntil !== null &&
    row.blockedUntil.getTime() > Date.now();
  return spacing ? secondsUntil(row.blockedUntil) : null;
}

/**
 * Gives back an attempt the per-email spacing refused before its password was checked. Otherwise
 * an attacker who keeps the owner's email spaced would make each of the owner's refused attempts
 * count towards the owner's own back-off, and so aim the throttle at the owner after all. The pair
 * was not waiting when its attempt was claimed (a waiting pair claims nothing), so no wait is lost.
 */
async function releasePairAttempt(key: string): Promise<void> {
  await db().$executeRaw`
    UPDATE sign_in_throttles SET failures = GREATEST(failures - 1, 0), blocked_until = NULL WHERE key = ${key}`;
}

/**
 * A wait runs from the moment the failure is known, not from when the attempt began: on a slow
 * server the password check alone could otherwise use up a short wait before anyone hears of it.
 */
async function restartPairWait(key: string): Promise<Date | null> {
  const rows = await db().$queryRaw<{ blocked_until: Date | null }[]>`
    UPDATE sign_in_throttles
    SET blocked_until = now() + make_interval(secs => LEAST(${PAIR.maxWaitSeconds}::float8,
          ${PAIR.firstWaitSeconds}::float8 * power(2, LEAST(failures - ${PAIR.freeAttempts}::int, 30))))
    WHERE key = ${key} AND failures >= ${PAIR.freeAttempts}::int
    RETURNING blocked_until`;
  return rows[0]?.blocked_until ?? null;
}

/** One atomic upsert: concurrent failures on several processes each count. Past the threshold,
 * the email's next attempt waits its spacing from this failure. */
async function recordEmailFailure(key: string): Promise<void> {
  await db().$executeRaw`
    WITH settings AS (
      SELECT make_interval(secs => ${EMAIL.windowSeconds}::float8) AS span, ${EMAIL.failuresBeforeSpacing}::int AS threshold,
             make_interval(secs => ${EMAIL.spacingSeconds}::float8) AS spacing
    )
    INSERT INTO sign_in_throttles AS t (key, failures, window_started_at, last_attempt_at, blocked_until)
    SELECT ${key}, 1, now(), now(), CASE WHEN 1 >= threshold THEN now() + spacing END FROM settings
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN t.window_started_at < now() - (SELECT span FROM settings) THEN 1 ELSE t.failures + 1 END,
      window_started_at = CASE WHEN t.window_started_at < now() - (SELECT span FROM settings) THEN now() ELSE t.window_started_at END,
      last_attempt_at = now(),
      blocked_until = (
        SELECT CASE WHEN (CASE WHEN t.window_started_at < now() - span THEN 1 ELSE t.failures + 1 END) >= threshold
                    THEN now() + spacing ELSE t.blocked_until END
        FROM settings
      )`;
}

async function pruneStaleThrottles(): Promise<void> {
  await db().$executeRaw`
    DELETE FROM sign_in_throttles
    WHERE last_attempt_at < now() - make_interval(secs => ${PAIR.forgetAfterSeconds}::float8)
      AND (last_success_at IS NULL OR last_success_at < now() - make_interval(secs => ${SIGN_IN_THROTTLE.knownClientSeconds}::float8))`;
}

function isKnownClient(lastSuccessAt: Date | null): boolean {
  return lastSuccessAt !== null && lastSuccessAt.getTime() > Date.now() - SIGN_IN_THROTTLE.knownClientSeconds * 1000;
}

export async function attemptSignIn(email: string, password: string, clientAddress: string | undefined): Promise<SignInOutcome> {
  const outcome = await throttledSignIn(email, password, clientAddress);
  if (!outcome.ok && outcome.reason === "rate_limited") metrics().rateLimitRefusals.inc({ scope: "sign_in" });
  return outcome;
}

async function throttledSignIn(email: string, password: string, clientAddress: string | undefined): Promise<SignInOutcome> {
  const keys = throttleKeys(email, clientAddress);
  // Refused attempts are not checked at all, so guessing on while told to wait learns nothing.
  const pair = await claimPairAttempt(keys.pair);
  if (!pair.claimed) return { ok: false, reason: "rate_limited", retryAfterSeconds: pair.retryAfterSeconds };
  if (!isKnownClient(pair.lastSuccessAt)) {
    const spacedFor = await claimEmailSlot(keys.email);
    if (spacedFor !== null) {
      await releasePairAttempt(keys.pair);
      return { ok: false, reason: "rate_limited", retryAfterSeconds: spacedFor };
    }
  }

  const user = await db().user.findUnique({ where: { email } });
  // Unknown emails cost one scrypt too, so timing does not tell which emails have accounts.
  const passwordMatches = await verifyPassword(password, user?.passwordHash ?? (await decoyPasswordHash()));
  if (!user || !passwordMatches) {
    await recordEmailFailure(keys.email);
    if (Math.random() < PRUNE_PROBABILITY) await pruneStaleThrottles().catch(() => undefined);
    // Past the free attempts, each failure starts the pair's next (longer) wait: say how long.
    const waitUntil = await restartPairWait(keys.pair);
    return waitUntil ? { ok: false, reason: "rate_limited", retryAfterSeconds: secondsUntil(waitUntil) } : { ok: false, reason: "invalid" };
  }
  if (user.disabledAt) return { ok: false, reason: "disabled" };

  const signedIn = await transaction(async (tx: Prisma.TransactionClient) => {
    // A success forgives this pair's attempts and marks the client as known for this email. The
    // email's own failures stay: they expire with their window, not because one client got in.
    await tx.signInThrottle.update({
      where: { key: keys.pair },
      data: { failures: 0, blockedUntil: null, lastSuccessAt: new Date(), windowStartedAt: new Date() },
    });
    const updated = await tx.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
    await recordAudit(
      tx,
      { actor: { kind: "user", id: user.id }, clientAddress },
      {
        action: "user.sign_in",
        resourceType: "user",
        resourceId: user.id,
        details: {},
      },
    );
    return updated;
  });
  return { ok: true, user: signedIn };
}

/**
 * How long the pair or the email must still wait, without counting an attempt: for the Auth.js
 * callback route, which answers a refused sign-in with 429 and `retry-after`.
 */
export async function signInWaitSeconds(email: string, clientAddress: string | undefined): Promise<number | null> {
  const keys = throttleKeys(email, clientAddress);
  const rows = await db().signInThrottle.findMany({
    where: { key: { in: [keys.pair, keys.email] }, blockedUntil: { gt: new Date() } },
    select: { blockedUntil: true },
  });
  const longest = Math.max(0, ...rows.map((row) => secondsUntil(row.blockedUntil)));
  return longest > 0 ? longest : null;
}
