import type { MetadataRow } from "@/lib/forms/metadata-rows";
import type { VaultKind } from "@/lib/vault-kind";

/** How many options a picker lists before the person types: the rest are one search away. */
export const PICKER_PAGE = 20;

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

export interface AgentOption {
  id: string;
  name: string;
  version: number;
  model: string;
}

export interface EnvironmentOption {
  id: string;
  name: string;
}

/** The first page of each picker (LLM vaults holding a token first); searching reaches the rest. */
export interface SessionFormOptions {
  agents: AgentOption[];
  environments: EnvironmentOption[];
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
  /** The attached LLM vault, looked up by id: present whatever its age, so saving never drops it. */
  llmVault: LlmVaultOption | null;
  /** The attached other vaults, likewise looked up by id. */
  otherVaults: OtherVaultOption[];
  /** Attached vaults the pickers cannot offer (archived): saving detaches them. */
  unavailableVaultIds: string[];
}
