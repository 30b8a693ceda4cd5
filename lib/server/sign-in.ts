import "server-only";
import { createHash } from "node:crypto";
import type { Prisma, User } from "@/lib/generated/prisma/client";
import { decoyPasswordHash, verifyPassword } from "@/lib/crypto/passwords";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/server/audit";
import { transaction } from "@/lib/server/transaction";

/**
 * Failed sign-ins are limited per email and per client address. The counters live in the database,
 * so the limit holds however many processes serve the console. A blocked identity is refused before
 * the password is even checked, so guessing on while blocked learns nothing.
 */
export const SIGN_IN_LIMITS = {
  email: { maxFailures: 5, windowSeconds: 15 * 60, blockSeconds: 15 * 60 },
  address: { maxFailures: 30, windowSeconds: 15 * 60, blockSeconds: 15 * 60 },
} as const;

export type SignInOutcome =
  | { ok: true; user: User }
  | { ok: false; reason: "invalid" | "disabled" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

interface ThrottleKey {
  key: string;
  limit: (typeof SIGN_IN_LIMITS)[keyof typeof SIGN_IN_LIMITS];
}

/** The typed email is hashed: a password typed into the email field must not land in a table. */
function throttleKeys(email: string, clientAddress: string | undefined): ThrottleKey[] {
  const keys: ThrottleKey[] = [
    { key: `email:${createHash("sha256").update(email, "utf8").digest("hex")}`, limit: SIGN_IN_LIMITS.email },
  ];
  if (clientAddress) keys.push({ key: `address:${clientAddress}`, limit: SIGN_IN_LIMITS.address });
  return keys;
}

function secondsUntil(date: Date, now: number): number {
  return Math.max(1, Math.ceil((date.getTime() - now) / 1000));
}

async function blockedFor(keys: ThrottleKey[]): Promise<number | null> {
  const now = Date.now();
  const rows = await db().signInThrottle.findMany({
    where: { key: { in: keys.map((entry) => entry.key) }, blockedUntil: { gt: new Date(now) } },
    select: { blockedUntil: true },
  });
  const longest = Math.max(0, ...rows.map((row) => (row.blockedUntil ? secondsUntil(row.blockedUntil, now) : 0)));
  return longest > 0 ? longest : null;
}

/** One atomic upsert per key: concurrent failures on several processes each count. */
async function recordFailure(keys: ThrottleKey[]): Promise<number | null> {
  let longest = 0;
  const now = Date.now();
  for (const { key, limit } of keys) {
    const rows = await db().$queryRaw<{ blocked_until: Date | null }[]>`
      INSERT INTO sign_in_throttles (key, failures, window_started_at, blocked_until)
      VALUES (${key}, 1, now(), CASE WHEN 1 >= ${limit.maxFailures} THEN now() + make_interval(secs => ${limit.blockSeconds}) END)
      ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN sign_in_throttles.window_started_at < now() - make_interval(secs => ${limit.windowSeconds})
                        THEN 1 ELSE sign_in_throttles.failures + 1 END,
        window_started_at = CASE WHEN sign_in_throttles.window_started_at < now() - make_interval(secs => ${limit.windowSeconds})
                        THEN now() ELSE sign_in_throttles.window_started_at END,
        blocked_until = CASE WHEN sign_in_throttles.window_started_at >= now() - make_interval(secs => ${limit.windowSeconds})
                              AND sign_in_throttles.failures + 1 >= ${limit.maxFailures}
                        THEN now() + make_interval(secs => ${limit.blockSeconds})
                        ELSE sign_in_throttles.blocked_until END
      RETURNING blocked_until`;
    const blockedUntil = rows[0]?.blocked_until;
    if (blockedUntil && blockedUntil.getTime() > now) longest = Math.max(longest, secondsUntil(blockedUntil, now));
  }
  return longest > 0 ? longest : null;
}

export async function attemptSignIn(email: string, password: string, clientAddress: string | undefined): Promise<SignInOutcome> {
  const keys = throttleKeys(email, clientAddress);
  const blocked = await blockedFor(keys);
  if (blocked !== null) return { ok: false, reason: "rate_limited", retryAfterSeconds: blocked };

  const user = await db().user.findUnique({ where: { email } });
  // Unknown emails cost one scrypt too, so timing does not tell which emails have accounts.
  const passwordMatches = await verifyPassword(password, user?.passwordHash ?? (await decoyPasswordHash()));
  if (!user || !passwordMatches) {
    const nowBlocked = await recordFailure(keys);
    return nowBlocked === null ? { ok: false, reason: "invalid" } : { ok: false, reason: "rate_limited", retryAfterSeconds: nowBlocked };
  }
  if (user.disabledAt) return { ok: false, reason: "disabled" };

  const signedIn = await transaction(async (tx: Prisma.TransactionClient) => {
    // A success clears this email's failures; the address counter stays, so one known account
    // cannot be used to reset guessing against the others.
    await tx.signInThrottle.deleteMany({ where: { key: keys[0]?.key } });
    const updated = await tx.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
    await recordAudit(tx, { actor: { kind: "user", id: user.id }, clientAddress }, {
      action: "user.sign_in",
      resourceType: "user",
      resourceId: user.id,
      details: {},
    });
    return updated;
  });
  return { ok: true, user: signedIn };
}
