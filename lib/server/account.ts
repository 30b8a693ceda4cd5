import "server-only";
import { hashPassword, verifyPassword } from "@/lib/crypto/passwords";
import { db } from "@/lib/instances";
import { ConsoleError, conflict } from "@/lib/errors";
import { recordAudit, type RequestContext } from "@/lib/server/audit";
import { revokeUserSessions, type BrowserSessionRef } from "@/lib/server/browser-sessions";
import { transaction } from "@/lib/server/transaction";
import type { PasswordChangeInput } from "@/lib/validation/users";

/**
 * A signed-in user changes their own password. The current password is required (a borrowed
 * browser must not be able to lock its owner out), every other session of the user ends, and the
 * session that made the change stays signed in: it has just proved the password. The audit entry
 * says how many sessions ended, never a password.
 */
export async function changeOwnPassword(session: BrowserSessionRef, input: PasswordChangeInput, context: RequestContext): Promise<{ endedSessions: number }> {
  const user = await db().user.findUnique({ where: { id: session.userId }, select: { passwordHash: true, disabledAt: true } });
  if (!user || user.disabledAt) throw new ConsoleError("authentication_error", "Your console session has ended; sign in again");
  if (!(await verifyPassword(input.current_password, user.passwordHash))) {
    throw new ConsoleError("invalid_request_error", "current_password: is incorrect", { field: "current_password" });
  }
  const passwordHash = await hashPassword(input.password);
  return transaction(async (tx) => {
    // Only over the hash that was just checked: of two changes racing, the second finds it gone.
    const { count } = await tx.user.updateMany({
      where: { id: session.userId, passwordHash: user.passwordHash, disabledAt: null },
      data: { passwordHash, updatedAt: new Date() },
    });
    if (count === 0) throw conflict("Your password was changed meanwhile; reload the page and try again with the new one");
    const endedSessions = await revokeUserSessions(tx, session.userId, session.sessionId);
    await recordAudit(tx, context, {
      action: "user.change_password",
      resourceType: "user",
      resourceId: session.userId,
      details: { ended_sessions: endedSessions },
    });
    return { endedSessions };
  });
}
