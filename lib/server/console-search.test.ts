import { describe, expect, it } from "vitest";
import { SYSTEM_CONTEXT } from "@/lib/server/audit";
import { createAgent } from "@/lib/server/agents";
import { PER_KIND, searchConsole } from "@/lib/server/console-search";
import { createEnvironment } from "@/lib/server/environments";
import { createSession } from "@/lib/server/sessions";
import { setUpEmbeddedConsole } from "@/lib/server/testing/embedded-console";
import { archiveVault, createVault } from "@/lib/server/vaults";
import { agentCreateSchema } from "@/lib/validation/agents";
import { environmentCreateSchema } from "@/lib/validation/environments";
import { sessionCreateSchema } from "@/lib/validation/sessions";
import { vaultCreateSchema } from "@/lib/validation/vaults";

const embedded = setUpEmbeddedConsole("console-search");

describe("searchConsole", () => {
  it("finds each kind by part of its name or by exact id, a few per kind, live first, names and ids only", { timeout: 180_000 }, async () => {
    await embedded.boot();
    const vaults = [];
    for (let index = 0; index < PER_KIND + 2; index++) {
      vaults.push(
        await createVault(vaultCreateSchema.parse({ display_name: `Team Alpha ${index}`, metadata: { note: "CANARYSECRET-not-a-name" } }), SYSTEM_CONTEXT),
      );
    }
    await archiveVault(vaults[PER_KIND + 1]?.id ?? "", SYSTEM_CONTEXT);
    const agent = await createAgent(agentCreateSchema.parse({ name: "alpha agent", model: "claude-sonnet-4-6" }), SYSTEM_CONTEXT);
    const environment = await createEnvironment(
      environmentCreateSchema.parse({ name: "ALPHA env", config: { type: "cloud", networking: { type: "unrestricted" } } }),
      SYSTEM_CONTEXT,
    );
    const session = await createSession(sessionCreateSchema.parse({ agent: agent.id, environment_id: environment.id, title: "the alpha run" }), SYSTEM_CONTEXT);

    const hits = await searchConsole("  alpha ");
    const byKind = (kind: string) => hits.filter((hit) => hit.kind === kind);
    expect(byKind("vault")).toHaveLength(PER_KIND);
    // Live ones before archived, newest first: the archived one is not among the five.
    expect(byKind("vault").map((hit) => hit.archived)).toEqual(new Array(PER_KIND).fill(false));
    expect(byKind("vault")[0]).toEqual({
      kind: "vault",
      id: vaults[PER_KIND]?.id,
      name: `Team Alpha ${PER_KIND}`,
      detail: "MCP / other vault",
      archived: false,
      href: `/vaults/${vaults[PER_KIND]?.id}`,
    });
    expect(byKind("agent").map((hit) => hit.id)).toEqual([agent.id]);
    expect(byKind("environment").map((hit) => hit.id)).toEqual([environment.id]);
    expect(byKind("session").map((hit) => [hit.id, hit.name, hit.href])).toEqual([[session.id, "the alpha run", `/sessions/${session.id}`]]);
    expect(JSON.stringify(hits)).not.toContain("CANARYSECRET");

    // An exact id finds that one resource, archived or not; a partial id finds nothing by id.
    const archived = vaults[PER_KIND + 1]?.id ?? "";
    expect((await searchConsole(archived)).map((hit) => [hit.id, hit.archived])).toEqual([[archived, true]]);
    expect((await searchConsole(session.id)).map((hit) => hit.kind)).toEqual(["session"]);
    expect((await searchConsole(agent.id)).map((hit) => hit.kind)).toEqual(["agent"]);
    expect((await searchConsole(environment.id)).map((hit) => hit.kind)).toEqual(["environment"]);
    expect(await searchConsole(archived.slice(0, -1))).toEqual([]);
    expect(await searchConsole("nothing is called this")).toEqual([]);
    expect(await searchConsole("   ")).toEqual([]);
  });
});
