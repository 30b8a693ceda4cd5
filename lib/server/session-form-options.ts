import "server-only";
import type { Vault } from "@/lib/generated/prisma/client";
import { db } from "@/lib/instances";
import { activeCredentialCounts } from "@/lib/server/vaults";
import { storedMetadata } from "@/lib/validation/common";
import { llmBaseUrlOf } from "@/lib/validation/reserved-metadata";
import { vaultKindOf } from "@/lib/vault-kind";
import type { LlmVaultOption, OtherVaultOption } from "@/lib/forms/session-form-types";

/** What the session form's pickers offer: names, ids, endpoints and whether a token is stored; never a secret. */

function llmOption(vault: Vault, hasToken: boolean): LlmVaultOption {
  const baseUrl = llmBaseUrlOf(storedMetadata(vault.metadata));
  return { id: vault.id, name: vault.displayName, baseUrl: baseUrl.url, baseUrlIsDefault: baseUrl.isDefault, hasToken };
}

function otherOption(vault: Vault): OtherVaultOption {
  return { id: vault.id, name: vault.displayName, kind: vaultKindOf(storedMetadata(vault.metadata)) };
}

/**
 * A session's attached vaults as the pickers show them, by id whatever their age: the LLM vault,
 * the others in the session's order, and the ids no picker can offer (archived, or gone).
 */
export async function attachedVaultOptions(vaultIds: string[]): Promise<{ llm: LlmVaultOption | null; others: OtherVaultOption[]; unavailable: string[] }> {
  const rows = vaultIds.length === 0 ? [] : await db().vault.findMany({ where: { id: { in: vaultIds } } });
  const byId = new Map(rows.map((vault) => [vault.id, vault]));
  const active = vaultIds.map((id) => byId.get(id)).filter((vault): vault is Vault => vault !== undefined && vault.archivedAt === null);
  const llmVault = active.find((vault) => vault.kind === "llm") ?? null;
  const counts = await activeCredentialCounts(llmVault ? [llmVault.id] : []);
  const activeIds = new Set(active.map((vault) => vault.id));
  return {
    llm: llmVault ? llmOption(llmVault, (counts.get(llmVault.id) ?? 0) > 0) : null,
    others: active.filter((vault) => vault.kind !== "llm").map(otherOption),
    unavailable: vaultIds.filter((id) => !activeIds.has(id)),
  };
}
