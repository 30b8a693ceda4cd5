// The central mapping of the database's own refusals (lib/server/database-errors.ts), driven through
// the API. Every service checks its rules under row locks first, so a constraint fires only when a
// writer the check could not see got there first. That writer is staged here: credential rows
// archived without their slots freed (which no service writes) hold unique indexes that the
// "active credentials" check does not count. The create's statement (create_vault_credential) looks
// the URL and secret-name slots up themselves, archived or not, and the LLM slot is left to its index
// alone: either way the answer must be the 409 naming the field rather than a 500. On a console and
// database of its own.
import { randomBytes } from "node:crypto";
import type Anthropic from "@anthropic-ai/sdk";
import type { BetaManagedAgentsEnvironmentVariableCreateParams } from "@anthropic-ai/sdk/resources/beta/vaults/credentials";
import { describe, it } from "vitest";

import { ownPlacement, sql, startOwnConsole, type OwnPlacement } from "./own-console";
import { client, createStaticBearer, createVault, expectApiError, guardResponses, llmCredentialAuth, llmVaultMetadata, secret } from "./support";

guardResponses();

const OWNER_KEY = `s0_${randomBytes(32).toString("base64url")}`;
/** Both starts need the key the first one sealed the secrets under. */
const MASTER_KEY = randomBytes(32).toString("base64");
const MCP_SERVER_URL = "https://mcp.example.com/slot";

function deployKey(): BetaManagedAgentsEnvironmentVariableCreateParams {
  return {
    type: "environment_variable",
    secret_name: "DEPLOY_KEY",
    secret_value: secret("slot"),
    networking: { type: "unrestricted" },
    injection_location: { header: true, body: false },
  };
}

async function withOwnConsole<T>(placement: OwnPlacement, work: (anthropic: Anthropic) => Promise<T>): Promise<T> {
  const own = await startOwnConsole({ CONSOLE_BOOTSTRAP_API_KEY: OWNER_KEY, CONSOLE_MASTER_KEY: MASTER_KEY }, placement);
  try {
    return await work(client({ baseURL: own.url, apiKey: own.ownerKey ?? undefined }));
  } finally {
    await own.stop();
  }
}

describe("a unique index that only the database enforces", () => {
  it("answers 409 conflict_error naming the field, for each credential slot", { timeout: 300_000 }, async () => {
    const { placement, release } = await ownPlacement();
    try {
      const staged = await withOwnConsole(placement, async (anthropic) => {
        const vault = await createVault(anthropic, "slots");
        const llmVault = await createVault(anthropic, "llm slot", llmVaultMetadata());
        const credentials = anthropic.beta.vaults.credentials;
        const held = await Promise.all([
          createStaticBearer(anthropic, vault.id, MCP_SERVER_URL),
          credentials.create(vault.id, { auth: deployKey() }),
          credentials.create(llmVault.id, { auth: llmCredentialAuth(secret("llm-slot")) }),
        ]);
        return { vaultId: vault.id, llmVaultId: llmVault.id, credentialIds: held.map((credential) => credential.id) };
      });

      // Archived, so the services' checks pass over them, yet still holding their slots.
      await sql(placement, "UPDATE vault_credentials SET archived_at = now() WHERE id = ANY($1)", [staged.credentialIds]);

      await withOwnConsole(placement, async (anthropic) => {
        const credentials = anthropic.beta.vaults.credentials;
        // Whether the statement's own lookup or the index's mapping refused it, the message names the field.
        await expectApiError(createStaticBearer(anthropic, staged.vaultId, MCP_SERVER_URL), 409, "conflict_error", /\bmcp_server_url\b/);
        await expectApiError(credentials.create(staged.vaultId, { auth: deployKey() }), 409, "conflict_error", /\bsecret_name\b/);
        await expectApiError(
          credentials.create(staged.llmVaultId, { auth: llmCredentialAuth(secret("llm-again")) }),
          409,
          "conflict_error",
          "one active credential",
        );
      });
    } finally {
      await release();
    }
  });
});
