// The boundary's lookup against a real database (PostgreSQL when the run provides one, the embedded
// one otherwise), read as PostgreSQL reads it: per call, calls for one placeholder that come
// together sharing reads (sharedReads). Each placeholder gets its own row, a revocation shows from
// the next call, and an unknown placeholder finds nothing.
import { describe, expect, it } from "vitest";
import { createBoundaryLookup } from "@/lib/boundary/lookup";
import { hashPlaceholder, newPlaceholder } from "@/lib/boundary/placeholders";
import { db, preparedQuery } from "@/lib/instances";
import { createApiKeyIn } from "@/lib/server/api-keys";
import { SYSTEM_CONTEXT } from "@/lib/server/audit";
import { createCredential } from "@/lib/server/credentials";
import { issuePlaceholderIn } from "@/lib/server/runtime-settings";
import { createSession } from "@/lib/server/sessions";
import { bootWithAgentAndEnvironment } from "@/lib/server/testing/agent-and-environment";
import { setUpEmbeddedConsole } from "@/lib/server/testing/embedded-console";
import { transaction } from "@/lib/server/transaction";
import { createVault } from "@/lib/server/vaults";
import { credentialCreateSchema } from "@/lib/validation/credentials";
import { sessionCreateSchema } from "@/lib/validation/sessions";
import { vaultCreateSchema } from "@/lib/validation/vaults";

const embedded = setUpEmbeddedConsole("boundary-lookup");

/** A session with an LLM vault and its credential, and a placeholder issued for it. */
async function sessionWithPlaceholder(
  agentId: string,
  environmentId: string,
  name: string,
): Promise<{ sessionId: string; vaultId: string; placeholder: string }> {
  const vault = await createVault(
    vaultCreateSchema.parse({
      display_name: name,
      metadata: {
        "sandbox0.managed_agents.role": "llm",
        "sandbox0.managed_agents.engine": "claude",
        "sandbox0.managed_agents.llm_base_url": "https://api.example.com",
      },
    }),
    SYSTEM_CONTEXT,
  );
  await createCredential(vault.id, credentialCreateSchema.parse({ auth: { type: "static_bearer", token: `sk-ant-${name}-0123456789abcdef` } }), SYSTEM_CONTEXT);
  const session = await createSession(sessionCreateSchema.parse({ agent: agentId, environment_id: environmentId, vault_ids: [vault.id] }), SYSTEM_CONTEXT);
  const placeholder = await transaction(async (tx) => {
    const { apiKey } = await createApiKeyIn(tx, { name: `runtime ${name}`, role: "runtime", scope: { sessionIds: [session.id] } }, SYSTEM_CONTEXT);
    return issuePlaceholderIn(tx, { sessionId: session.id, apiKeyId: apiKey.id, expiresAt: null }, SYSTEM_CONTEXT, "boundary");
  });
  return { sessionId: session.id, vaultId: vault.id, placeholder };
}

describe("the boundary lookup, read per call (PostgreSQL's way)", () => {
  it("answers calls that come together, each with its own placeholder's row", { timeout: 120_000 }, async () => {
    const { agentId, environmentId } = await bootWithAgentAndEnvironment(embedded);
    const one = await sessionWithPlaceholder(agentId, environmentId, "one");
    const two = await sessionWithPlaceholder(agentId, environmentId, "two");
    const lookup = await createBoundaryLookup({ preparedQuery: preparedQuery(), rememberedRows: null });

    const hashes = [one.placeholder, two.placeholder, one.placeholder, newPlaceholder()].map(hashPlaceholder);
    const rows = await Promise.all(hashes.map((hash) => lookup(hash)));
    expect(rows.map((row) => row?.session_id)).toEqual([one.sessionId, two.sessionId, one.sessionId, undefined]);
    expect(rows[0]).toMatchObject({ revoked: false, session_archived: false, vault_id: one.vaultId, vault_archived: false, auth_type: "static_bearer" });
    expect(rows[0]?.secret_ciphertext).toBeInstanceOf(Uint8Array);
    expect(rows[1]?.vault_id).toBe(two.vaultId);

    await db().runtimeCredential.updateMany({ where: { sessionId: one.sessionId }, data: { revokedAt: new Date() } });
    expect((await lookup(hashPlaceholder(one.placeholder)))?.revoked).toBe(true);
    expect((await lookup(hashPlaceholder(two.placeholder)))?.revoked).toBe(false);
  });
});
