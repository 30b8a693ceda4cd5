import { DEFAULT_LLM_BASE_URL, RESERVED_KEYS } from "@/lib/validation/reserved-metadata";
import type { VaultKind } from "@/lib/validation/vaults";

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

export function llmBaseUrlOf(metadata: Record<string, string>): { url: string; isDefault: boolean } {
  const url = metadata[RESERVED_KEYS.llmBaseUrl];
  return url ? { url, isDefault: false } : { url: DEFAULT_LLM_BASE_URL, isDefault: true };
}
