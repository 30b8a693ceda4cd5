import "server-only";
import { listAgents } from "@/lib/server/agents";
import { listEnvironments } from "@/lib/server/environments";
import { activeCredentialCounts, listVaults } from "@/lib/server/vaults";
import { serializeAgent } from "@/lib/serializers/agents";
import { serializeVault } from "@/lib/serializers/vaults";
import { llmBaseUrlOf } from "@/lib/validation/reserved-metadata";
import { vaultKindOf } from "@/lib/vault-kind";
import type { SessionFormOptions } from "@/lib/forms/session-form-types";

/** The pickers hold at most this many of each; the SDK reaches any others. */
const PICKER_LIMIT = 100;

/**
 * What the session form offers: active agents, environments and vaults, split into LLM vaults (the
 * radio group, with whether each holds its token) and the others (checkboxes). Names and ids only.
 */
export async function sessionFormOptions(): Promise<SessionFormOptions> {
  const [agents, environments, vaults] = await Promise.all([
    listAgents({ limit: PICKER_LIMIT, includeArchived: false }),
    listEnvironments({ limit: PICKER_LIMIT, includeArchived: false }),
    listVaults({ limit: PICKER_LIMIT, includeArchived: false }),
  ]);
  const serializedVaults = vaults.items.map(serializeVault);
  const llmVaults = serializedVaults.filter((vault) => vaultKindOf(vault.metadata) === "llm");
  const counts = await activeCredentialCounts(llmVaults.map((vault) => vault.id));
  return {
    agents: agents.items.map(serializeAgent).map((agent) => ({ id: agent.id, name: agent.name, version: agent.version, model: agent.model.id })),
    environments: environments.items.map((environment) => ({ id: environment.id, name: environment.name })),
    llmVaults: llmVaults.map((vault) => {
      const baseUrl = llmBaseUrlOf(vault.metadata);
      return {
        id: vault.id,
        name: vault.display_name,
        baseUrl: baseUrl.url,
        baseUrlIsDefault: baseUrl.isDefault,
        hasToken: (counts.get(vault.id) ?? 0) > 0,
      };
    }),
    otherVaults: serializedVaults
      .filter((vault) => vaultKindOf(vault.metadata) !== "llm")
      .map((vault) => ({ id: vault.id, name: vault.display_name, kind: vaultKindOf(vault.metadata) })),
  };
}
