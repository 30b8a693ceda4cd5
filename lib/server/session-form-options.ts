import "server-only";
import type { Prisma, Vault } from "@/lib/generated/prisma/client";
import { db } from "@/lib/instances";
import { serializeAgent } from "@/lib/serializers/agents";
import { nameContaining } from "@/lib/server/keyset-pages";
import { activeCredentialCounts } from "@/lib/server/vaults";
import { storedMetadata } from "@/lib/validation/common";
import { llmBaseUrlOf } from "@/lib/validation/reserved-metadata";
import { vaultKindOf } from "@/lib/vault-kind";
import type { AgentOption, EnvironmentOption, LlmVaultOption, OtherVaultOption } from "@/lib/forms/session-form-types";

/**
 * What the session form's pickers offer, one page at a time: active vaults, agents and environments
 * whose name contains the query (any case) or whose id is the query exactly, newest first. Names,
 * ids, endpoints and whether a token is stored; never a secret.
 */

const NEWEST_FIRST = [{ createdAt: "desc" as const }, { seq: "desc" as const }];

/** Name contains, or the exact id (a pasted `vlt_…` finds its vault among thousands). */
function matching(query: string) {
  const q = query.trim();
  return q ? { OR: [{ name: nameContaining(q) }, { id: q }] } : {};
}

function vaultMatching(query: string): Prisma.VaultWhereInput {
  const q = query.trim();
  return q ? { OR: [{ displayName: nameContaining(q) }, { id: q }] } : {};
}

const HOLDS_TOKEN: Prisma.VaultWhereInput = { credentials: { some: { archivedAt: null } } };
const NO_TOKEN: Prisma.VaultWhereInput = { credentials: { none: { archivedAt: null } } };

function llmOption(vault: Vault, hasToken: boolean): LlmVaultOption {
  const baseUrl = llmBaseUrlOf(storedMetadata(vault.metadata));
  return { id: vault.id, name: vault.displayName, baseUrl: baseUrl.url, baseUrlIsDefault: baseUrl.isDefault, hasToken };
}

function otherOption(vault: Vault): OtherVaultOption {
  return { id: vault.id, name: vault.displayName, kind: vaultKindOf(storedMetadata(vault.metadata)) };
}

/** Active LLM vaults matching the query, those holding a token first (a session is ready only with one). */
export async function llmVaultOptions(query: string, limit: number): Promise<LlmVaultOption[]> {
  const where: Prisma.VaultWhereInput = { AND: [{ archivedAt: null, kind: "llm" }, vaultMatching(query)] };
  const withToken = await db().vault.findMany({ where: { AND: [where, HOLDS_TOKEN] }, orderBy: NEWEST_FIRST, take: limit });
  const withoutToken =
    withToken.length < limit ? await db().vault.findMany({ where: { AND: [where, NO_TOKEN] }, orderBy: NEWEST_FIRST, take: limit - withToken.length }) : [];
  return [...withToken.map((vault) => llmOption(vault, true)), ...withoutToken.map((vault) => llmOption(vault, false))];
}

/** Active MCP / other and HTTP header credential vaults matching the query. */
export async function otherVaultOptions(query: string, limit: number): Promise<OtherVaultOption[]> {
  const vaults = await db().vault.findMany({
    where: { AND: [{ archivedAt: null, OR: [{ kind: null }, { kind: "credential" }] }, vaultMatching(query)] },
    orderBy: NEWEST_FIRST,
    take: limit,
  });
  return vaults.map(otherOption);
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

/** Active agents matching the query, each at its latest version. */
export async function agentOptions(query: string, limit: number): Promise<AgentOption[]> {
  const agents = await db().agent.findMany({ where: { AND: [{ archivedAt: null }, matching(query)] }, orderBy: NEWEST_FIRST, take: limit });
  return agents.map(serializeAgent).map((agent) => ({ id: agent.id, name: agent.name, version: agent.version, model: agent.model.id }));
}

/** Active environments matching the query. */
export async function environmentOptions(query: string, limit: number): Promise<EnvironmentOption[]> {
  const environments = await db().environment.findMany({ where: { AND: [{ archivedAt: null }, matching(query)] }, orderBy: NEWEST_FIRST, take: limit });
  return environments.map((environment) => ({ id: environment.id, name: environment.name }));
}
