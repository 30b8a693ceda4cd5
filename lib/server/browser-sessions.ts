import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/instances";
import { newId } from "@/lib/ids";
import { recordAudit, type RequestContext } from "@/lib/server/audit";
import { transaction } from "@/lib/server/transaction";
import type { UserRoleValue } from "@/lib/validation/users";

// No `server-only` marker: lib/server/users.ts (which lib/boot.ts loads outside Next) revokes
// sessions inside its own transactions.

/**
 * Browser sessions live in the database so they can end at once: the signed cookie only names a
 * row (`sid`), and every page, server action and /v1 cookie call reads that row with its user.
 * Sign-out revokes one row; a password change, a role change or disabling a user revokes them all.
 * A revoked row never comes back, so enabling a user again does not revive an old cookie.
 */

/** last_seen_at is for people reading it, not a rule: written at most once a minute, reads stay cheap. */
const LAST_SEEN_EVERY_MS = 60_000;

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  role: UserRoleValue;
}

export interface BrowserSessionRef {
  sessionId: string;
  userId: string;
}

/**
 * Starts a session for a user who just proved their password. The row is written only while the
 * user is still enabled and still has the password hash that was checked, with the user row locked
 * (FOR SHARE): a disable, role change or password change racing this sign-in either sees the new
 * row and revokes it, or makes this insert find nothing and the sign-in fail.
 */
export async function startBrowserSession(userId: string, verifiedPasswordHash: string, lifetimeSeconds: number): Promise<string | null> {
  const sessionId = newId("bses");
  const inserted = await transaction(async (tx) => {
    // This user's expired rows go when a new one comes: the table stays the size of live sessions.
    await tx.browserSession.deleteMany({ where: { userId, expiresAt: { lt: new Date() } } });
    return tx.$executeRaw`
      INSERT INTO browser_sessions (id, user_id, created_at, last_seen_at, expires_at)
      SELECT ${sessionId}, u.id, now(), now(), now() + make_interval(secs => ${lifetimeSeconds})
        FROM (SELECT id FROM users
               WHERE id = ${userId} AND disabled_at IS NULL AND password_hash = ${verifiedPasswordHash}
               FOR SHARE) u`;
  });
  return inserted === 1 ? sessionId : null;
}

interface SessionRow {
  id: string;
  email: string;
  name: string | null;
  role: UserRoleValue;
  last_seen_at: Date;
}

/**
 * The user a session cookie stands for, or null: one indexed read of the session joined with its
 * user, so a revoked or expired session and a disabled user are refused on the very next request.
 */
export async function findSessionUser({ sessionId, userId }: BrowserSessionRef): Promise<SessionUser | null> {
  const [row] = await db().$queryRaw<SessionRow[]>`
    SELECT u.id, u.email, u.name, u.role::text AS role, s.last_seen_at
      FROM browser_sessions s JOIN users u ON u.id = s.user_id
     WHERE s.id = ${sessionId} AND s.user_id = ${userId} AND s.revoked_at IS NULL AND s.expires_at > now()
       AND u.disabled_at IS NULL`;
  if (!row) return null;
  if (Date.now() - row.last_seen_at.getTime() >= LAST_SEEN_EVERY_MS) {
    // Conditional, so several processes serving one browser write it once a minute between them.
    await db().browserSession.updateMany({
      where: { id: sessionId, lastSeenAt: { lt: new Date(Date.now() - LAST_SEEN_EVERY_MS) } },
      data: { lastSeenAt: new Date() },
    });
  }
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

/** Sign-out: this browser's session ends; the user's other sessions stay. True when it was live. */
export async function endBrowserSession({ sessionId, userId }: BrowserSessionRef, context: RequestContext): Promise<boolean> {
  return transaction(async (tx) => {
    const { count } = await tx.browserSession.updateMany({
      where: { id: sessionId, userId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (count > 0) await recordAudit(tx, context, { action: "user.sign_out", resourceType: "user", resourceId: userId, details: {} });
    return count > 0;
  });
}

/** Ends every live session of a user (all but `exceptSessionId`), inside the caller's transaction. */
export async function revokeUserSessions(tx: Prisma.TransactionClient, userId: string, exceptSessionId?: string): Promise<number> {
  const { count } = await tx.browserSession.updateMany({
    where: { userId, revokedAt: null, ...(exceptSessionId ? { id: { not: exceptSessionId } } : {}) },
    data: { revokedAt: new Date() },
  });
  return count;
}
