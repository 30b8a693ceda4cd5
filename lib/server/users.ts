import type { Prisma, User, UserRole } from "@/lib/generated/prisma/client";
import { hashPassword } from "@/lib/crypto/passwords";
import { db } from "@/lib/instances";
import { ConsoleError, conflict, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { revokeKeysMadeByUser } from "@/lib/server/api-keys";
import { recordAudit, SYSTEM_CONTEXT, type RequestContext } from "@/lib/server/audit";
import { revokeUserSessions } from "@/lib/server/browser-sessions";
import { transaction } from "@/lib/server/transaction";
import type { SetupInput, UserCreateInput } from "@/lib/validation/users";

// No `server-only` marker here: lib/boot.ts (plain Node, outside Next) creates the first owner.

/**
 * Every change to who is an owner takes this lock first, so "there is always an active owner" and
 * "the first user is the only one the setup page makes" hold across concurrent requests and across
 * processes sharing one PostgreSQL.
 */
const USERS_LOCK = 727002;

async function lockUsers(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${USERS_LOCK})`;
}

function emailTaken(email: string): ConsoleError {
  return new ConsoleError("conflict_error", `email: ${email} already has an account`, { field: "email" });
}

async function createFirstOwner(
  tx: Prisma.TransactionClient,
  input: { email: string; name?: string | null; passwordHash: string },
  contextFor: (user: User) => RequestContext,
  details: Prisma.InputJsonObject,
): Promise<User | null> {
  await lockUsers(tx);
  if ((await tx.user.count()) > 0) return null;
  const user = await tx.user.create({
    data: { id: newId("usr"), email: input.email, name: input.name ?? null, passwordHash: input.passwordHash, role: "owner" },
  });
  await recordAudit(tx, contextFor(user), {
    action: "user.create",
    resourceType: "user",
    resourceId: user.id,
    details: { email: user.email, role: user.role, ...details },
  });
  return user;
}

/** ADMIN_EMAIL/ADMIN_PASSWORD at start: creates the first owner when the console has no user yet. */
export async function ensureOwnerUser(email: string, password: string): Promise<User | null> {
  if ((await db().user.count()) > 0) return null;
  const passwordHash = await hashPassword(password);
  return transaction((tx) => createFirstOwner(tx, { email, passwordHash }, () => SYSTEM_CONTEXT, { bootstrap: "ADMIN_EMAIL" }));
}

export async function hasAnyUser(): Promise<boolean> {
  return (await db().user.count()) > 0;
}

/** The one-time setup page: makes the first owner, or refuses once any user exists. */
export async function setupFirstOwner(input: SetupInput, context: Omit<RequestContext, "actor">): Promise<User> {
  const passwordHash = await hashPassword(input.password);
  const user = await transaction((tx) =>
    createFirstOwner(tx, { email: input.email, name: input.name, passwordHash }, (created) => ({ ...context, actor: { kind: "user", id: created.id } }), {
      bootstrap: "setup_page",
    }),
  );
  if (!user) throw conflict("The console already has an owner; sign in instead");
  return user;
}

export async function listUsers(): Promise<User[]> {
  return db().user.findMany({ orderBy: { seq: "asc" } });
}

export async function createUser(input: UserCreateInput, context: RequestContext): Promise<User> {
  const passwordHash = await hashPassword(input.password);
  return transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email: input.email }, select: { id: true } })) throw emailTaken(input.email);
    const user = await tx.user.create({
      data: { id: newId("usr"), email: input.email, name: input.name ?? null, passwordHash, role: input.role },
    });
    await recordAudit(tx, context, {
      action: "user.create",
      resourceType: "user",
      resourceId: user.id,
      details: { email: user.email, role: user.role },
    });
    return user;
  });
}

async function activeOwnerCount(tx: Prisma.TransactionClient): Promise<number> {
  return tx.user.count({ where: { role: "owner", disabledAt: null } });
}

const LAST_OWNER = "is the last active owner; make another user an owner first, or the console would have nobody who can manage users";

export async function changeUserRole(userId: string, role: UserRole, context: RequestContext): Promise<User> {
  return transaction(async (tx) => {
    await lockUsers(tx);
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) throw notFound("User", userId);
    if (user.role === role) return user;
    if (user.role === "owner" && !user.disabledAt && (await activeOwnerCount(tx)) <= 1) {
      throw new ConsoleError("conflict_error", `role: ${user.email} ${LAST_OWNER}`, { field: "role" });
    }
    const updated = await tx.user.update({ where: { id: userId }, data: { role, updatedAt: new Date() } });
    // A role change ends the user's sessions: they sign in again into the new role.
    await revokeUserSessions(tx, userId);
    await recordAudit(tx, context, {
      action: "user.change_role",
      resourceType: "user",
      resourceId: userId,
      details: { email: user.email, from: user.role, to: role },
    });
    return updated;
  });
}

export async function setUserDisabled(userId: string, disabled: boolean, context: RequestContext): Promise<User> {
  return transaction(async (tx) => {
    await lockUsers(tx);
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) throw notFound("User", userId);
    if (Boolean(user.disabledAt) === disabled) return user;
    if (disabled && context.actor.kind === "user" && context.actor.id === userId) {
      throw conflict("You cannot disable your own account; ask another owner");
    }
    if (disabled && user.role === "owner" && (await activeOwnerCount(tx)) <= 1) {
      throw conflict(`${user.email} ${LAST_OWNER}`);
    }
    const now = new Date();
    const updated = await tx.user.update({ where: { id: userId }, data: { disabledAt: disabled ? now : null, updatedAt: now } });
    // Revoked for good: enabling the user again does not revive a cookie from before.
    if (disabled) await revokeUserSessions(tx, userId);
    await recordAudit(tx, context, {
      action: disabled ? "user.disable" : "user.enable",
      resourceType: "user",
      resourceId: userId,
      details: { email: user.email },
    });
    // Whoever leaves takes their keys along: re-enabling the user does not bring them back.
    if (disabled) await revokeKeysMadeByUser(tx, userId, context);
    return updated;
  });
}
