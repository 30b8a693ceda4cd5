import { describe, expect, it } from "vitest";
import { newId } from "@/lib/ids";
import { db } from "@/lib/instances";
import { createAgent } from "@/lib/server/agents";
import { createApiKey, keysRevokedOnDisable, revokeApiKey, revokeApiKeyIn } from "@/lib/server/api-keys";
import { SYSTEM_CONTEXT, type RequestContext } from "@/lib/server/audit";
import { DEFAULT_CA_PATH, issueRuntimeSettings } from "@/lib/server/runtime-settings";
import { createEnvironment } from "@/lib/server/environments";
import { createSession } from "@/lib/server/sessions";
import { transaction } from "@/lib/server/transaction";
import { refusal, setUpEmbeddedConsole } from "@/lib/server/testing/embedded-console";
import { createUser, listUsers, setUserDisabled } from "@/lib/server/users";
import { agentCreateSchema } from "@/lib/validation/agents";
import { environmentCreateSchema } from "@/lib/validation/environments";
import { sessionCreateSchema } from "@/lib/validation/sessions";

const PASSWORD = "a long enough password CANARYSECRET";

const embedded = setUpEmbeddedConsole("api-keys");

async function boot(): Promise<void> {
  await embedded.boot({ ADMIN_EMAIL: "owner@example.com", ADMIN_PASSWORD: PASSWORD });
}

async function aSession(): Promise<{ id: string; environmentId: string }> {
  const agent = await createAgent(agentCreateSchema.parse({ name: "agent", model: "claude-sonnet-4-6" }), SYSTEM_CONTEXT);
  const environment = await createEnvironment(
    environmentCreateSchema.parse({ name: "env", config: { type: "cloud", networking: { type: "unrestricted" } } }),
    SYSTEM_CONTEXT,
  );
  const session = await createSession(sessionCreateSchema.parse({ agent: agent.id, environment_id: environment.id }), SYSTEM_CONTEXT);
  return { id: session.id, environmentId: environment.id };
}

/** A live placeholder row obtained by `apiKeyId` (the boundary's side is tested over HTTP). */
async function placeholderFor(sessionId: string, apiKeyId: string): Promise<string> {
  const id = newId("rtc");
  await db().runtimeCredential.create({ data: { id, sessionId, apiKeyId, placeholderHash: newId("rtc"), prefix: "s0rt_test" } });
  return id;
}

describe("disabling a user", () => {
  it("revokes the keys they made, the keys made with those, and their placeholders, with audit entries", { timeout: 60_000 }, async () => {
    await boot();
    const [owner] = await listUsers();
    if (!owner) throw new Error("no owner");
    const ownerContext: RequestContext = { actor: { kind: "user", id: owner.id } };
    const leaver = await createUser({ email: "leaver@example.com", password: PASSWORD, role: "admin" }, ownerContext);
    const leaverContext: RequestContext = { actor: { kind: "user", id: leaver.id } };
    const session = await aSession();

    const adminKey = await createApiKey({ name: "leaver admin", role: "admin" }, leaverContext);
    const mintedRuntime = await createApiKey(
      { name: "minted runtime", role: "runtime", scope: { sessionIds: [session.id] } },
      { actor: { kind: "api_key", id: adminKey.apiKey.id } },
    );
    const ownRuntime = await createApiKey({ name: "leaver runtime", role: "runtime", scope: { environmentId: session.environmentId } }, leaverContext);
    const ownersKey = await createApiKey({ name: "owner runtime", role: "runtime", scope: { sessionIds: [session.id] } }, ownerContext);
    expect(adminKey.apiKey.createdByUserId).toBe(leaver.id);
    expect(mintedRuntime.apiKey.createdByApiKeyId).toBe(adminKey.apiKey.id);

    const mintedPlaceholder = await placeholderFor(session.id, mintedRuntime.apiKey.id);
    const ownersPlaceholder = await placeholderFor(session.id, ownersKey.apiKey.id);

    const listed = await keysRevokedOnDisable([leaver.id, owner.id]);
    expect((listed.get(leaver.id) ?? []).map((key) => key.name).sort()).toEqual(["leaver admin", "leaver runtime", "minted runtime"]);
    expect(listed.get(owner.id)?.map((key) => key.name)).toEqual(["owner runtime"]);

    await setUserDisabled(leaver.id, true, ownerContext);

    const prisma = db();
    const keys = await prisma.apiKey.findMany({
      where: { id: { in: [adminKey.apiKey.id, mintedRuntime.apiKey.id, ownRuntime.apiKey.id, ownersKey.apiKey.id] } },
    });
    const revoked = new Map(keys.map((key) => [key.name, key.revokedAt !== null]));
    expect(Object.fromEntries(revoked)).toEqual({
      "leaver admin": true,
      "minted runtime": true,
      "leaver runtime": true,
      "owner runtime": false,
    });
    expect((await prisma.runtimeCredential.findUniqueOrThrow({ where: { id: mintedPlaceholder } })).revokedAt).not.toBeNull();
    expect((await prisma.runtimeCredential.findUniqueOrThrow({ where: { id: ownersPlaceholder } })).revokedAt).toBeNull();

    const audit = await prisma.auditEvent.findMany({ where: { action: "api_key.revoke" } });
    expect(audit.map((entry) => entry.resourceId).sort()).toEqual([adminKey.apiKey.id, mintedRuntime.apiKey.id, ownRuntime.apiKey.id].sort());
    expect(audit.every((entry) => entry.actorId === owner.id)).toBe(true);
    expect(await keysRevokedOnDisable([leaver.id])).toEqual(new Map());

    // Enabling them again brings no key back: revoking is final.
    await setUserDisabled(leaver.id, false, ownerContext);
    expect((await prisma.apiKey.findUniqueOrThrow({ where: { id: adminKey.apiKey.id } })).revokedAt).not.toBeNull();
  });

  it("a disable that is refused revokes nothing", { timeout: 60_000 }, async () => {
    await boot();
    const [owner] = await listUsers();
    if (!owner) throw new Error("no owner");
    const ownerContext: RequestContext = { actor: { kind: "user", id: owner.id } };
    const key = await createApiKey({ name: "owner admin", role: "admin" }, ownerContext);
    expect((await refusal(setUserDisabled(owner.id, true, ownerContext))).type).toBe("conflict_error");
    expect((await db().apiKey.findUniqueOrThrow({ where: { id: key.apiKey.id } })).revokedAt).toBeNull();
  });
});

describe("runtime keys", () => {
  it("a runtime key from before scoping gets 403 telling the operator to create a scoped key", { timeout: 60_000 }, async () => {
    await boot();
    const session = await aSession();
    // As the migration leaves a runtime key made before scoping: no sessions, no environment.
    const legacy = await db().apiKey.create({
      data: { id: newId("key"), name: "old runtime", role: "runtime", prefix: "s0_old", hash: newId("key") },
    });
    const error = await refusal(
      issueRuntimeSettings(session.id, "http://127.0.0.1:3000", { actor: { kind: "api_key", id: legacy.id } }, { mode: "boundary", caPath: DEFAULT_CA_PATH }),
    );
    expect(error.type).toBe("permission_error");
    expect(error.message).toContain("Create a runtime key with session_ids or environment_id");
  });

  it("refuses an unscoped runtime key and a scoped admin key at the service too", { timeout: 60_000 }, async () => {
    await boot();
    const session = await aSession();
    expect((await refusal(createApiKey({ name: "unscoped", role: "runtime" }, SYSTEM_CONTEXT))).field).toBe("session_ids");
    expect((await refusal(createApiKey({ name: "scoped admin", role: "admin", scope: { environmentId: session.environmentId } }, SYSTEM_CONTEXT))).field).toBe(
      "environment_id",
    );
    expect((await refusal(createApiKey({ name: "ghost", role: "runtime", scope: { sessionIds: [session.id, "sesn_missing"] } }, SYSTEM_CONTEXT))).field).toBe(
      "session_ids[1]",
    );
  });

  it("revoking a key revokes its placeholders and says how many in the audit entry", { timeout: 60_000 }, async () => {
    await boot();
    const session = await aSession();
    const key = await createApiKey({ name: "runtime", role: "runtime", scope: { sessionIds: [session.id] } }, SYSTEM_CONTEXT);
    const placeholder = await placeholderFor(session.id, key.apiKey.id);
    await revokeApiKey(key.apiKey.id, SYSTEM_CONTEXT);
    const prisma = db();
    expect((await prisma.runtimeCredential.findUniqueOrThrow({ where: { id: placeholder } })).revokedAt).not.toBeNull();
    const [entry] = await prisma.auditEvent.findMany({ where: { action: "api_key.revoke", resourceId: key.apiKey.id } });
    expect(entry?.details).toMatchObject({ runtime_credentials_revoked: 1 });
  });

  it("a run's end revokes its key once, inside its transaction, audited with the reason", { timeout: 60_000 }, async () => {
    await boot();
    const session = await aSession();
    const key = await createApiKey({ name: "runner run_1 attempt 1", role: "runtime", scope: { sessionIds: [session.id] } }, SYSTEM_CONTEXT);
    expect(key.apiKey.scopeSessionIds).toEqual([session.id]);
    const placeholder = await placeholderFor(session.id, key.apiKey.id);
    for (let time = 0; time < 2; time += 1) {
      await transaction((tx) => revokeApiKeyIn(tx, key.apiKey.id, SYSTEM_CONTEXT, "run run_1 attempt 1 ended (end_turn)"));
    }
    await transaction((tx) => revokeApiKeyIn(tx, "key_missing", SYSTEM_CONTEXT, "no such key"));
    const prisma = db();
    expect((await prisma.apiKey.findUniqueOrThrow({ where: { id: key.apiKey.id } })).revokedAt).not.toBeNull();
    expect((await prisma.runtimeCredential.findUniqueOrThrow({ where: { id: placeholder } })).revokedAt).not.toBeNull();
    const entries = await prisma.auditEvent.findMany({ where: { action: "api_key.revoke" } });
    expect(entries.map((entry) => [entry.resourceId, entry.details])).toEqual([
      [
        key.apiKey.id,
        {
          name: "runner run_1 attempt 1",
          prefix: key.apiKey.prefix,
          role: "runtime",
          reason: "run run_1 attempt 1 ended (end_turn)",
          runtime_credentials_revoked: 1,
        },
      ],
    ]);
  });
});
