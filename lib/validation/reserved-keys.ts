/**
 * The reserved `sandbox0.managed_agents.*` metadata keys (SPEC section 3). Only vaults may carry
 * them; they turn a vault into an LLM vault (role `llm`) or an HTTP header credential vault
 * (role `credential`): the vault's kind (lib/vault-kind.ts). Their names alone, free of the rules
 * (lib/validation/reserved-metadata.ts, which pulls in the endpoint policy), so forms and lists in
 * the browser can name them cheaply.
 */
export const RESERVED_PREFIX = "sandbox0.managed_agents.";

export const RESERVED_KEYS = {
  role: `${RESERVED_PREFIX}role`,
  engine: `${RESERVED_PREFIX}engine`,
  llmBaseUrl: `${RESERVED_PREFIX}llm_base_url`,
  kind: `${RESERVED_PREFIX}kind`,
  version: `${RESERVED_PREFIX}version`,
  targetDomains: `${RESERVED_PREFIX}target_domains`,
  headersJson: `${RESERVED_PREFIX}headers_json`,
  protocol: `${RESERVED_PREFIX}protocol`,
  tlsMode: `${RESERVED_PREFIX}tls_mode`,
  failurePolicy: `${RESERVED_PREFIX}failure_policy`,
} as const;

export const DEFAULT_LLM_BASE_URL = "https://api.anthropic.com";
export const SUPPORTED_ENGINE = "claude";

/** Case-insensitive, so `Sandbox0.Managed_Agents.role` cannot slip past the rules. */
export function isReservedKey(key: string): boolean {
  return key.toLowerCase().startsWith(RESERVED_PREFIX);
}
