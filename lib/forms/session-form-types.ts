import type { MetadataRow } from "@/lib/forms/metadata-rows";
import type { VaultKind } from "@/lib/vault-kind";

export interface LlmVaultOption {
  id: string;
  name: string;
  baseUrl: string;
  baseUrlIsDefault: boolean;
  /** Whether the vault holds an active credential; the token itself never leaves the server. */
  hasToken: boolean;
}

export interface OtherVaultOption {
  id: string;
  name: string;
  kind: VaultKind;
}

export interface SessionFormOptions {
  agents: { id: string; name: string; version: number; model: string }[];
  environments: { id: string; name: string }[];
  llmVaults: LlmVaultOption[];
  otherVaults: OtherVaultOption[];
}

/** An existing session as the edit form starts from it. */
export interface SessionFormInitial {
  sessionId: string;
  agentLabel: string;
  environmentLabel: string;
  title: string;
  metadata: MetadataRow[];
  llmVaultId: string;
  otherVaultIds: string[];
  /** Attached vaults the pickers cannot offer (archived): saving detaches them. */
  unavailableVaultIds: string[];
}
