// The session form's pickers at more vaults than one page holds: search by name (any case) or the
// exact id, LLM vaults holding a token first, archived vaults never offered, and a session's
// attached vaults found by id whatever their age (the edit form once detached an old one on save).
import { describe, expect, it } from "vitest";
import { SYSTEM_CONTEXT } from "@/lib/server/audit";
import { createCredential } from "@/lib/server/credentials";
import { attachedVaultOptions, llmVaultOptions, otherVaultOptions } from "@/lib/server/session-form-options";
import { setUpEmbeddedConsole } from "@/lib/server/testing/embedded-console";
import { archiveVault, createVault } from "@/lib/server/vaults";

const embedded = setUpEmbeddedConsole("session-form-options");
const LLM = { "sandbox0.managed_agents.role": "llm", "sandbox0.managed_agents.engine": "claude" };

describe("the session form's vault pickers", () => {
  it("search by name or exact id, list LLM vaults holding a token first, and find attached vaults by id", { timeout: 120_000 }, async () => {
    // PostgreSQL when the run provides one (scripts/postgres.ts run -- …), the embedded database otherwise.
    const postgresUrl = process.env.DATABASE_URL;
    await (postgresUrl ? embedded.bootOnPostgres(postgresUrl) : embedded.boot());
    const oldest = await createVault({ display_name: "Oldest Claude", metadata: LLM }, SYSTEM_CONTEXT);
    await createCredential(oldest.id, { auth: { type: "static_bearer", token: "sk-ant-CANARYSECRET-picker-0123456789" } }, SYSTEM_CONTEXT);
    const tools = await createVault({ display_name: "Old tools" }, SYSTEM_CONTEXT);
    const newer: string[] = [];
    for (let index = 0; index < 25; index += 1) newer.push((await createVault({ display_name: `Newer claude ${index}`, metadata: LLM }, SYSTEM_CONTEXT)).id);
    const archived = await createVault({ display_name: "Archived claude", metadata: LLM }, SYSTEM_CONTEXT);
    await archiveVault(archived.id, SYSTEM_CONTEXT);

    // The oldest is first because it holds a token, then the newest without one.
    const firstPage = await llmVaultOptions("", 20);
    expect(firstPage).toHaveLength(20);
    expect(firstPage[0]).toEqual({ id: oldest.id, name: "Oldest Claude", baseUrl: "https://api.anthropic.com", baseUrlIsDefault: true, hasToken: true });
    expect(firstPage[1]?.id).toBe(newer[24]);
    expect(firstPage.slice(1).every((option) => !option.hasToken)).toBe(true);

    expect((await llmVaultOptions("  oldest ", 20)).map((option) => option.id)).toEqual([oldest.id]);
    expect((await llmVaultOptions(newer[3] ?? "", 20)).map((option) => option.id)).toEqual([newer[3]]);
    expect(await llmVaultOptions("archived", 20)).toEqual([]);
    expect(await otherVaultOptions("tools", 20)).toEqual([{ id: tools.id, name: "Old tools", kind: "other" }]);
    // An LLM vault is not an "other" vault, even by its exact id.
    expect(await otherVaultOptions(oldest.id, 20)).toEqual([]);

    expect(await attachedVaultOptions([oldest.id, tools.id, archived.id])).toEqual({
      llm: firstPage[0],
      others: [{ id: tools.id, name: "Old tools", kind: "other" }],
      unavailable: [archived.id],
    });
    expect(await attachedVaultOptions([])).toEqual({ llm: null, others: [], unavailable: [] });
  });
});
