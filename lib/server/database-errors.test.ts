import { describe, expect, it } from "vitest";
import { db, preparedQuery } from "@/lib/instances";
import { ConsoleError } from "@/lib/errors";
import { toConsoleError } from "@/lib/server/database-errors";
import { describeForLog } from "@/lib/server/error-log";
import { setUpEmbeddedConsole } from "@/lib/server/testing/embedded-console";

// Each refusal is made by the real database (the statements services would send, minus the checks
// that normally come first), so the mapping reads the errors Prisma's adapter really throws.
const embedded = setUpEmbeddedConsole("database-errors");

async function refusedWith(statement: Promise<unknown>): Promise<ConsoleError | null> {
  const error: unknown = await statement.then(
    () => expect.fail("the database accepted the statement"),
    (caught: unknown) => caught,
  );
  return toConsoleError(error);
}

async function seed(): Promise<void> {
  await db().vault.create({ data: { id: "vlt_mapped", displayName: "mapped" } });
  await db().environment.create({ data: { id: "env_mapped", name: "mapped", config: {} } });
  await db().agent.create({ data: { id: "agent_mapped", name: "mapped", model: {} } });
  await db().agentSession.create({
    data: { id: "sesn_mapped", agentId: "agent_mapped", agentVersion: 1, agentSnapshot: {}, environmentId: "env_mapped" },
  });
}

const credential = (id: string, slot: { activeMcpServerUrlKey?: string; activeSecretName?: string; activeLlmSlot?: boolean }) =>
  db().vaultCredential.create({ data: { id, vaultId: "vlt_mapped", authType: "static_bearer", authPublic: {}, ...slot } });

describe("toConsoleError", () => {
  it("maps unique, foreign-key, restrict and not-found refusals to 4xx naming the field", { timeout: 120_000 }, async () => {
    await embedded.boot();
    await seed();

    await credential("vcrd_url_1", { activeMcpServerUrlKey: "https://example.com/mcp" });
    const url = await refusedWith(credential("vcrd_url_2", { activeMcpServerUrlKey: "https://example.com/mcp" }));
    expect([url?.status, url?.type, url?.field]).toEqual([409, "conflict_error", "auth.mcp_server_url"]);
    expect(url?.message).toMatch(/^auth\.mcp_server_url: /);

    await credential("vcrd_name_1", { activeSecretName: "DEPLOY_KEY" });
    expect((await refusedWith(credential("vcrd_name_2", { activeSecretName: "DEPLOY_KEY" })))?.field).toBe("auth.secret_name");

    await credential("vcrd_llm_1", { activeLlmSlot: true });
    expect((await refusedWith(credential("vcrd_llm_2", { activeLlmSlot: true })))?.type).toBe("conflict_error");
    // The same refusal from a prepared statement, which the driver throws without Prisma's wrapping.
    const insertLlmSlot = {
      name: "database_errors_llm_slot",
      text: "INSERT INTO vault_credentials (id, vault_id, auth_type, auth_public, active_llm_slot) VALUES ($1, 'vlt_mapped', 'static_bearer', '{}', true)",
    };
    const prepared = await refusedWith(preparedQuery()(insertLlmSlot, ["vcrd_llm_3"]));
    expect([prepared?.status, prepared?.type]).toEqual([409, "conflict_error"]);
    expect(prepared?.message).toContain("one active credential");

    const user = { email: "taken@example.com", passwordHash: "x", role: "viewer" as const };
    await db().user.create({ data: { id: "usr_first", ...user } });
    const email = await refusedWith(db().user.create({ data: { id: "usr_second", ...user } }));
    expect([email?.status, email?.field, email?.message]).toEqual([409, "email", "email: this address already has an account"]);

    await db().sessionVault.create({ data: { sessionId: "sesn_mapped", vaultId: "vlt_mapped", position: 0, llmSlot: true } });
    await db().vault.create({ data: { id: "vlt_second", displayName: "second" } });
    const llm = await refusedWith(db().sessionVault.create({ data: { sessionId: "sesn_mapped", vaultId: "vlt_second", position: 1, llmSlot: true } }));
    expect([llm?.status, llm?.field]).toEqual([400, "vault_ids"]);
    expect(llm?.message).toContain("Multiple LLM vaults attached");

    const missing = await refusedWith(
      db().agentSession.create({
        data: { id: "sesn_orphan", agentId: "agent_mapped", agentVersion: 1, agentSnapshot: {}, environmentId: "env_gone" },
      }),
    );
    expect([missing?.status, missing?.type, missing?.field]).toEqual([404, "not_found_error", "environment_id"]);

    const inUse = await refusedWith(db().environment.delete({ where: { id: "env_mapped" } }));
    expect([inUse?.status, inUse?.type]).toEqual([409, "conflict_error"]);
    expect(inUse?.message).toContain("environment");

    const gone = await refusedWith(db().vault.update({ where: { id: "vlt_gone" }, data: { displayName: "x" } }));
    expect([gone?.status, gone?.message]).toEqual([404, "The vault was not found; it may just have been deleted"]);
    const goneParent = await refusedWith(
      db().vaultCredential.create({
        data: { id: "vcrd_orphan", authType: "static_bearer", authPublic: {}, vault: { connect: { id: "vlt_gone" } } },
      }),
    );
    expect(goneParent?.message).toBe("The vault was not found; it may just have been deleted");
  });

  it("passes a ConsoleError through and leaves anything else to the caller as a bug", () => {
    const refusal = new ConsoleError("conflict_error", "no");
    expect(toConsoleError(refusal)).toBe(refusal);
    expect(toConsoleError(new Error("boom"))).toBeNull();
    expect(describeForLog(new Error("boom"))).toContain("Error: boom");
  });
});
