import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootConsole, type BootedConsole } from "@/lib/boot";
import { loadEnv } from "@/lib/env";
import { ConsoleError } from "@/lib/errors";
import { db } from "@/lib/instances";
import { changeOwnPassword } from "@/lib/server/account";
import type { RequestContext } from "@/lib/server/audit";
import { endBrowserSession, findSessionUser, startBrowserSession, type BrowserSessionRef } from "@/lib/server/browser-sessions";
import { newDataDir } from "@/lib/server/testing/embedded-console";
import { changeUserRole, createUser, listUsers, setUserDisabled } from "@/lib/server/users";

// A real embedded database in this process, as scripts/start.ts boots it.
let booted: BootedConsole | undefined;
let dataDir: string | undefined;
let owner: RequestContext;

const PASSWORD = "a long enough password CANARYSECRET";
const LIFETIME = 12 * 60 * 60;

beforeAll(async () => {
  dataDir = await newDataDir("browser-sessions");
  booted = await bootConsole(loadEnv({ CONSOLE_DATA_DIR: dataDir, ADMIN_EMAIL: "owner@example.com", ADMIN_PASSWORD: PASSWORD }));
  const [first] = await listUsers();
  if (!first) throw new Error("no owner");
  owner = { actor: { kind: "user", id: first.id } };
}, 60_000);

afterAll(async () => {
  await booted?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

let count = 0;
async function newUser(): Promise<{ id: string; passwordHash: string }> {
  count += 1;
  return createUser({ email: `user${count}@example.com`, password: PASSWORD, role: "viewer" }, owner);
}

async function session(user: { id: string; passwordHash: string }): Promise<BrowserSessionRef> {
  const sessionId = await startBrowserSession(user.id, user.passwordHash, LIFETIME);
  if (!sessionId) throw new Error("no session");
  return { sessionId, userId: user.id };
}

describe("browser sessions", () => {
  it("sign-out ends one session, once, and leaves the user's others", { timeout: 60_000 }, async () => {
    const user = await newUser();
    const [a, b] = [await session(user), await session(user)];
    expect((await findSessionUser(a))?.id).toBe(user.id);
    expect(await endBrowserSession(a, { actor: { kind: "user", id: user.id } })).toBe(true);
    expect(await endBrowserSession(a, { actor: { kind: "user", id: user.id } })).toBe(false);
    expect(await findSessionUser(a)).toBeNull();
    expect((await findSessionUser(b))?.id).toBe(user.id);
    // A session id is good only with its own user.
    const other = await newUser();
    expect(await findSessionUser({ sessionId: b.sessionId, userId: other.id })).toBeNull();
    const audit = await db().auditEvent.findMany({ where: { action: "user.sign_out", resourceId: user.id } });
    expect(audit).toHaveLength(1);
  });

  it("disabling ends every session for good; enabling again does not revive one", { timeout: 60_000 }, async () => {
    const user = await newUser();
    const before = await session(user);
    await setUserDisabled(user.id, true, owner);
    expect(await findSessionUser(before)).toBeNull();
    // No new session while disabled, even with the right password hash.
    expect(await startBrowserSession(user.id, user.passwordHash, LIFETIME)).toBeNull();
    await setUserDisabled(user.id, false, owner);
    expect(await findSessionUser(before)).toBeNull();
    expect(await findSessionUser(await session(user))).not.toBeNull();
  });

  it("a role change ends every session; a new one carries the new role", { timeout: 60_000 }, async () => {
    const user = await newUser();
    const before = await session(user);
    await changeUserRole(user.id, "admin", owner);
    expect(await findSessionUser(before)).toBeNull();
    expect((await findSessionUser(await session(user)))?.role).toBe("admin");
  });

  it("a password change keeps this session, ends the others, and refuses a sign-in checked against the old hash", { timeout: 60_000 }, async () => {
    const user = await newUser();
    const [mine, theirs] = [await session(user), await session(user)];
    const context = { actor: { kind: "user" as const, id: user.id } };
    const wrong = await changeOwnPassword(
      mine,
      { current_password: "not it", password: `${PASSWORD} new`, password_confirmation: `${PASSWORD} new` },
      context,
    ).catch((error: unknown) => error);
    expect(wrong).toBeInstanceOf(ConsoleError);
    expect((wrong as ConsoleError).field).toBe("current_password");
    expect(await findSessionUser(theirs)).not.toBeNull();

    const result = await changeOwnPassword(
      mine,
      { current_password: PASSWORD, password: `${PASSWORD} new`, password_confirmation: `${PASSWORD} new` },
      context,
    );
    expect(result).toEqual({ endedSessions: 1 });
    expect(await findSessionUser(mine)).not.toBeNull();
    expect(await findSessionUser(theirs)).toBeNull();
    // A sign-in that verified the old password just before the change gets no session.
    expect(await startBrowserSession(user.id, user.passwordHash, LIFETIME)).toBeNull();
    const [audit] = await db().auditEvent.findMany({ where: { action: "user.change_password", resourceId: user.id } });
    expect(audit?.details).toEqual({ ended_sessions: 1 });
    expect(JSON.stringify(audit?.details)).not.toContain("CANARYSECRET");
  });

  it("expires on its own, and writes last_seen_at at most once a minute", { timeout: 60_000 }, async () => {
    const user = await newUser();
    const ref = await session(user);
    const prisma = db();
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    await prisma.browserSession.update({ where: { id: ref.sessionId }, data: { lastSeenAt: twoMinutesAgo } });
    await findSessionUser(ref);
    const seen = (await prisma.browserSession.findUniqueOrThrow({ where: { id: ref.sessionId } })).lastSeenAt;
    expect(seen.getTime()).toBeGreaterThan(twoMinutesAgo.getTime());
    await findSessionUser(ref);
    expect((await prisma.browserSession.findUniqueOrThrow({ where: { id: ref.sessionId } })).lastSeenAt).toEqual(seen);

    await prisma.browserSession.update({ where: { id: ref.sessionId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await findSessionUser(ref)).toBeNull();
    // The next sign-in clears the user's expired rows.
    await session(user);
    expect(await prisma.browserSession.findUnique({ where: { id: ref.sessionId } })).toBeNull();
  });
});
