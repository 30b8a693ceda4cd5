import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { bootConsole, type BootedConsole } from "@/lib/boot";
import { loadEnv } from "@/lib/env";
import { ConsoleError } from "@/lib/errors";
import { getRuntime } from "@/lib/runtime";
import { SYSTEM_CONTEXT } from "@/lib/server/audit";
import { attemptSignIn, SIGN_IN_LIMITS } from "@/lib/server/sign-in";
import { changeUserRole, createUser, listUsers, setUserDisabled, setupFirstOwner } from "@/lib/server/users";

// A real embedded database in this process, as scripts/start.ts boots it.
let booted: BootedConsole | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  await booted?.close();
  booted = undefined;
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const PASSWORD = "a long enough password CANARYSECRET";

async function boot(extra: Record<string, string> = {}): Promise<void> {
  dataDir ??= await mkdtemp(path.join(tmpdir(), "console-users-"));
  booted = await bootConsole(loadEnv({ CONSOLE_DATA_DIR: dataDir, ...extra }));
}

async function refusal(promise: Promise<unknown>): Promise<ConsoleError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConsoleError);
  return error as ConsoleError;
}

describe("the first owner", () => {
  it("comes from ADMIN_EMAIL/ADMIN_PASSWORD once, and a restart changes nothing", { timeout: 60_000 }, async () => {
    await boot({ ADMIN_EMAIL: "Owner@Example.com", ADMIN_PASSWORD: PASSWORD });
    expect(booted?.bootstrapOwnerEmail).toBe("owner@example.com");
    expect(booted?.setupOpen).toBe(false);
    await booted?.close();
    await boot({ ADMIN_EMAIL: "someone-else@example.com", ADMIN_PASSWORD: PASSWORD });
    expect(booted?.bootstrapOwnerEmail).toBeNull();
    const users = await listUsers();
    expect(users.map((user) => [user.email, user.role])).toEqual([["owner@example.com", "owner"]]);
    // Only a hash is stored, never the password.
    expect(users[0]?.passwordHash).not.toContain("CANARYSECRET");
    // The setup page is closed for good.
    const closed = await refusal(setupFirstOwner({ email: "late@example.com", password: PASSWORD, password_confirmation: PASSWORD }, {}));
    expect(closed.type).toBe("conflict_error");
  });

  it("two setups at once make exactly one owner", { timeout: 60_000 }, async () => {
    await boot();
    expect(booted?.setupOpen).toBe(true);
    const results = await Promise.allSettled([
      setupFirstOwner({ email: "a@example.com", password: PASSWORD, password_confirmation: PASSWORD }, {}),
      setupFirstOwner({ email: "b@example.com", password: PASSWORD, password_confirmation: PASSWORD }, {}),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect((await listUsers()).filter((user) => user.role === "owner")).toHaveLength(1);
    const audit = await getRuntime().prisma.auditEvent.findMany({ where: { action: "user.create" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actorType).toBe("user");
  });
});

describe("owners", () => {
  it("cannot demote or disable the last active owner", { timeout: 60_000 }, async () => {
    await boot({ ADMIN_EMAIL: "owner@example.com", ADMIN_PASSWORD: PASSWORD });
    const [owner] = await listUsers();
    if (!owner) throw new Error("no owner");
    const context = { actor: { kind: "user" as const, id: owner.id } };
    expect((await refusal(changeUserRole(owner.id, "admin", context))).message).toContain("last active owner");
    const other = await createUser({ email: "second@example.com", password: PASSWORD, role: "admin" }, context);
    expect((await refusal(setUserDisabled(owner.id, true, { actor: { kind: "user", id: other.id } }))).message).toContain("last active owner");
    expect((await refusal(setUserDisabled(owner.id, true, context))).message).toContain("your own account");

    await changeUserRole(other.id, "owner", context);
    await changeUserRole(owner.id, "viewer", { actor: { kind: "user", id: other.id } });
    expect((await listUsers()).map((user) => user.role)).toEqual(["viewer", "owner"]);
    expect((await refusal(createUser({ email: "second@example.com", password: PASSWORD, role: "viewer" }, SYSTEM_CONTEXT))).field).toBe("email");
  });
});

describe("sign-in", () => {
  it("rate limits an email after repeated failures, even for the right password, and refuses disabled users", { timeout: 60_000 }, async () => {
    await boot({ ADMIN_EMAIL: "owner@example.com", ADMIN_PASSWORD: PASSWORD });
    expect(await attemptSignIn("owner@example.com", PASSWORD, "127.0.0.1")).toMatchObject({ ok: true });

    const outcomes = [];
    for (let attempt = 0; attempt < SIGN_IN_LIMITS.email.maxFailures; attempt++) {
      outcomes.push(await attemptSignIn("owner@example.com", "wrong password", "127.0.0.1"));
    }
    expect(outcomes.slice(0, -1).every((outcome) => !outcome.ok && outcome.reason === "invalid")).toBe(true);
    const last = outcomes.at(-1);
    expect(last).toMatchObject({ ok: false, reason: "rate_limited" });
    const blocked = await attemptSignIn("owner@example.com", PASSWORD, "127.0.0.1");
    expect(blocked).toMatchObject({ ok: false, reason: "rate_limited" });
    if (!blocked.ok && blocked.reason === "rate_limited") {
      expect(blocked.retryAfterSeconds).toBeGreaterThan(0);
      expect(blocked.retryAfterSeconds).toBeLessThanOrEqual(SIGN_IN_LIMITS.email.blockSeconds);
    }
    // Another email from the same address still gets its own attempts.
    const [owner] = await listUsers();
    if (!owner) throw new Error("no owner");
    const viewer = await createUser({ email: "viewer@example.com", password: PASSWORD, role: "viewer" }, SYSTEM_CONTEXT);
    expect(await attemptSignIn("viewer@example.com", PASSWORD, "127.0.0.1")).toMatchObject({ ok: true });
    await setUserDisabled(viewer.id, true, { actor: { kind: "user", id: owner.id } });
    expect(await attemptSignIn("viewer@example.com", PASSWORD, "127.0.0.1")).toMatchObject({ ok: false, reason: "disabled" });
    // The throttle rows never hold the typed email, only its hash.
    const keys = (await getRuntime().prisma.signInThrottle.findMany()).map((row) => row.key);
    expect(keys.some((key) => key.includes("@"))).toBe(false);
  });
});
