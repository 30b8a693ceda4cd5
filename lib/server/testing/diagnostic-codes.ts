// The diagnostics codes in the order SPEC §5 lists them (the order a person should fix them in).
// Written out here, apart from the service, so that the unit and HTTP tests of the diagnostics check
// the service's order against the spec's rather than against itself. Imported by tests only.
export const SPEC_DIAGNOSTIC_CODES = [
  "no_llm_vault",
  "multiple_llm_vaults",
  "engine_mismatch",
  "llm_vault_archived",
  "no_active_credential",
  "credential_not_static_bearer",
  "credential_has_mcp_server_url",
  "openai_compatible_endpoint",
  "llm_endpoint_refused",
  "master_key_missing",
] as const;
