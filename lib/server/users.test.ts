import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/instances";
import { SYSTEM_CONTEXT } from "@/lib/server/audit";
import { attemptSignIn, SIGN_IN_THROTTLE } from "@/lib/server/sign-in";
import { refusal, setUpEmbeddedConsole } from "@/lib/server/testing/embedded-console";
import { changeUserRole, createUser, listUsers, setUserDisabled, setupFirstOwner } from "@/lib/server/users";

const embedded = setUpEmbeddedConsole("users");
const PASSWORD = "a long enough password CANARYSECRET";

async function boot(extra: Record<string, string> = {}): Promise<void> {
  await embedded.boot(extra);
}

describe("the first owner", () => {
  it("comes from ADMIN_EMAIL/ADMIN_PASSWORD once, and a restart changes nothing", { timeout: 60_000 }, async () => {
    await boot({ ADMIN_EMAIL: "Owner@Example.com", ADMIN_PASSWORD: PASSWORD });
    expect(embedded.booted?.bootstrapOwnerEmail).toBe("owner@example.com");
    expect(embedded.booted?.setupOpen).toBe(false);
    await embedded.booted?.close();
    await boot({ ADMIN_EMAIL: "someone-else@example.com", ADMIN_PASSWORD: PASSWORD });
    expect(embedded.booted?.bootstrapOwnerEmail).toBeNull();
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
    expect(embedded.booted?.setupOpen).toBe(true);
    const results = await Promise.allSettled([
      setupFirstOwner({ email: "a@example.com", password: PASSWORD, password_confirmation: PASSWORD }, {}),
      setupFirstOwner({ email: "b@example.com", password: PASSWORD, password_confirmation: PASSWORD }, {}),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect((await listUsers()).filter((user) => user.role === "owner")).toHaveLength(1);
    const audit = await db().auditEvent.findMany({ where: { action: "user.create" } });
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
  /** Lets a test skip a wait instead of sleeping through it: every running wait ends now. */
  const endWaits = () => db().$executeRaw`UPDATE sign_in_throttles SET blocked_until = now() - interval '1 second'`;

  it("backs off per (email, client) with growing waits; another client's right password still works", { timeout: 180_000 }, async () => {
    await boot({ ADMIN_EMAIL: "owner@example.com", ADMIN_PASSWORD: PASSWORD });
    const { freeAttempts, firstWaitSeconds } = SIGN_IN_THROTTLE.pair;
    const outcomes = [];
    for (let attempt = 0; attempt < freeAttempts; attempt++) outcomes.push(await attemptSignIn("owner@example.com", "wrong password", "10.0.0.1"));
    expect(outcomes.slice(0, -1).every((outcome) => !outcome.ok && outcome.reason === "invalid")).toBe(true);
    expect(outcomes.at(-1)).toEqual({ ok: false, reason: "rate_limited", retryAfterSeconds: firstWaitSeconds });
    // Waiting: not even the right password is checked from that client…
    expect(await attemptSignIn("owner@example.com", PASSWORD, "10.0.0.1")).toMatchObject({ ok: false, reason: "rate_limited" });
    // …while the owner, anywhere else, signs in.
    expect(await attemptSignIn("owner@example.com", PASSWORD, "10.0.0.2")).toMatchObject({ ok: true });

    const waits: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      await endWaits();
      const outcome = await attemptSignIn("owner@example.com", "wrong password", "10.0.0.1");
      if (outcome.ok || outcome.reason !== "rate_limited") throw new Error(`expected a wait, got ${JSON.stringify(outcome)}`);
      waits.push(outcome.retryAfterSeconds);
    }
    expect(waits).toEqual([2 * firstWaitSeconds, 4 * firstWaitSeconds, 8 * firstWaitSeconds]);
    // A success forgives the pair.
    await endWaits();
    expect(await attemptSignIn("owner@example.com", PASSWORD, "10.0.0.1")).toMatchObject({ ok: true });
    expect(await attemptSignIn("owner@example.com", "wrong password", "10.0.0.1")).toEqual({ ok: false, reason: "invalid" });
  });

  it("never blocks an address: failures with many emails leave the owner's sign-in alone", { timeout: 180_000 }, async () => {
    await boot({ ADMIN_EMAIL: "owner@example.com", ADMIN_PASSWORD: PASSWORD });
    for (let attempt = 0; attempt < 35; attempt++) {
      expect(await attemptSignIn(`random-${attempt}@example.com`, "wrong password", "10.0.0.3")).toEqual({ ok: false, reason: "invalid" });
    }
    expect(await attemptSignIn("owner@example.com", PASSWORD, "10.0.0.3")).toMatchObject({ ok: true });
  });

  it("spaces out an email's attempts from many clients, sparing clients that signed in before", { timeout: 180_000 }, async () => {
    await boot({ ADMIN_EMAIL: "owner@example.com", ADMIN_PASSWORD: PASSWORD });
    expect(await attemptSignIn("owner@example.com", PASSWORD, "10.0.9.9")).toMatchObject({ ok: true });
    const { failuresBeforeSpacing, spacingSeconds } = SIGN_IN_THROTTLE.email;
    for (let attempt = 0; attempt < failuresBeforeSpacing; attempt++) {
      expect(await attemptSignIn("owner@example.com", "wrong password", `10.1.0.${attempt}`)).toEqual({ ok: false, reason: "invalid" });
    }
    // Past the threshold each attempt waits a couple of seconds after the last failure.
    const spaced = await attemptSignIn("owner@example.com", PASSWORD, "10.2.0.2");
    expect(spaced).toMatchObject({ ok: false, reason: "rate_limited" });
    if (!spaced.ok && spaced.reason === "rate_limited") expect(spaced.retryAfterSeconds).toBeLessThanOrEqual(spacingSeconds);
    // The client the owner used before is not spaced; after the slot, anyone is heard again.
    expect(await attemptSignIn("owner@example.com", PASSWORD, "10.0.9.9")).toMatchObject({ ok: true });
    await endWaits();
    expect(await attemptSignIn("owner@example.com", PASSWORD, "10.2.0.2")).toMatchObject({ ok: true });
  });

  it("does not count attempts the per-email spacing refused against the owner's own client", { timeout: 180_000 }, async () => {
    await boot({ ADMIN_EMAIL: "owner@example.com", ADMIN_PASSWORD: PASSWORD });
    const { failuresBeforeSpacing } = SIGN_IN_THROTTLE.email;
    for (let attempt = 0; attempt < failuresBeforeSpacing; attempt++) {
      expect(await attemptSignIn("owner@example.com", "wrong password", `10.3.0.${attempt}`)).toEqual({ ok: false, reason: "invalid" });
    }
    // The attacker keeps taking the email's slots; the owner, from a client never used before, is
    // refused each time, more often than the pair's free attempts...
    const { freeAttempts } = SIGN_IN_THROTTLE.pair;
    for (let attempt = 0; attempt < freeAttempts + 3; attempt++) {
      expect(await attemptSignIn("owner@example.com", PASSWORD, "10.4.0.4")).toMatchObject({ ok: false, reason: "rate_limited" });
    }
    // ...yet none of those refusals counted against the owner's client...
    const ownerPair = await db().signInThrottle.findMany({ where: { key: { startsWith: "pair:", endsWith: "|10.4.0.4" } } });
    expect(ownerPair.map((row) => row.failures)).toEqual([0]);
    // ...so once the email's slot is free the owner gets straight in, with no back-off of its own.
    await db().$executeRaw`UPDATE sign_in_throttles SET blocked_until = now() - interval '1 second' WHERE key LIKE 'email:%'`;
    expect(await attemptSignIn("owner@example.com", PASSWORD, "10.4.0.4")).toMatchObject({ ok: true });
  });

  it("refuses disabled users and never stores the typed email", { timeout: 180_000 }, async () => {
    await boot({ ADMIN_EMAIL: "owner@example.com", ADMIN_PASSWORD: PASSWORD });
    const [owner] = await listUsers();
    if (!owner) throw new Error("no owner");
    const viewer = await createUser({ email: "viewer@example.com", password: PASSWORD, role: "viewer" }, SYSTEM_CONTEXT);
    expect(await attemptSignIn("viewer@example.com", PASSWORD, "127.0.0.1")).toMatchObject({ ok: true });
    await setUserDisabled(viewer.id, true, { actor: { kind: "user", id: owner.id } });
    expect(await attemptSignIn("viewer@example.com", PASSWORD, "127.0.0.1")).toMatchObject({ ok: false, reason: "disabled" });
    expect(await attemptSignIn("looks-like-a-password-CANARYSECRET@example.com", "x", "127.0.0.1")).toMatchObject({ ok: false });
    // The throttle rows hold only a keyed hash of the email (not even a plain SHA-256 of it).
    const keys = (await db().signInThrottle.findMany()).map((row) => row.key);
    expect(keys.length).toBeGreaterThan(0);
    const plainHash = createHash("sha256").update("viewer@example.com").digest("hex");
    expect(keys.filter((key) => key.includes("@") || key.includes("CANARYSECRET") || key.includes("viewer") || key.includes(plainHash))).toEqual([]);
  });
});
