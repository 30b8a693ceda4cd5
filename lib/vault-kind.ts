import { RESERVED_KEYS } from "@/lib/validation/reserved-keys";

/**
 * What a vault is for, the one word the code uses for it. The API spells it with the reserved
 * `sandbox0.managed_agents.role` key (`llm` or `credential`); a vault without that key is `other`.
 * The key cannot change after create, so the vault row keeps a copy (`kind`, null for `other`).
 */
export const VAULT_KINDS = ["llm", "credential", "other"] as const;
export type VaultKind = (typeof VAULT_KINDS)[number];

export const VAULT_KIND_LABELS: Record<VaultKind, string> = {
  llm: "LLM",
  credential: "HTTP header credential",
  other: "MCP / other",
};

/** What a vault is for, read from its reserved role key. */
export function vaultKindOf(metadata: Record<string, string>): VaultKind {
  const role = metadata[RESERVED_KEYS.role];
  return role === "llm" ? "llm" : role === "credential" ? "credential" : "other";
}

/** The vault row's `kind` column: null for `other`. */
export function storedVaultKind(kind: VaultKind): Exclude<VaultKind, "other"> | null {
  return kind === "other" ? null : kind;
}
