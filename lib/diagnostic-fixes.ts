import type { DiagnosticCode } from "@/lib/serializers/diagnostics";

/**
 * What the console's pages say about each diagnostics check: a readable name for a failure (the
 * check codes and the API's fix sentences are for SDK users), and the one button that does the fix.
 * The API (`GET /v1/sessions/{id}/diagnostics`) keeps its own messages and fixes unchanged.
 */
export const DIAGNOSTIC_LABELS: Record<DiagnosticCode, string> = {
  no_llm_vault: "No LLM vault attached",
  multiple_llm_vaults: "More than one LLM vault attached",
  engine_mismatch: "The LLM vault's engine is not Claude",
  llm_vault_archived: "The LLM vault is archived",
  no_active_credential: "The LLM vault has no model token",
  credential_not_static_bearer: "The LLM vault's credential is not a bearer token",
  credential_has_mcp_server_url: "The LLM vault's token is bound to an MCP server",
  openai_compatible_endpoint: "The endpoint is OpenAI-compatible, not Anthropic-compatible",
  llm_endpoint_refused: "The console will not send the token to this endpoint",
  master_key_missing: "This console process cannot open the token",
};

/** The same, short enough for a list's readiness column. */
export const DIAGNOSTIC_SHORT_LABELS: Record<DiagnosticCode, string> = {
  no_llm_vault: "No LLM vault attached",
  multiple_llm_vaults: "More than one LLM vault",
  engine_mismatch: "Unsupported engine",
  llm_vault_archived: "LLM vault archived",
  no_active_credential: "No model token",
  credential_not_static_bearer: "Token is not a bearer token",
  credential_has_mcp_server_url: "Token bound to an MCP server",
  openai_compatible_endpoint: "OpenAI-style endpoint",
  llm_endpoint_refused: "Endpoint refused",
  master_key_missing: "Master key not loaded",
};

export interface DiagnosticFix {
  /** The button's words: what it does, in the console's terms. */
  label: string;
  href: string;
  /** One sentence on what the person does once there. */
  hint: string;
}

/** Where the fix buttons point: the session's LLM vault picker, or the LLM vault's own page. */
export interface DiagnosticFixContext {
  sessionId: string;
  /** The one attached LLM vault, archived or not; null when there is none or more than one. */
  llmVaultId: string | null;
}

function chooseVault(sessionId: string, hint: string): DiagnosticFix {
  return { label: "Choose an LLM vault", href: `/sessions/${sessionId}/edit?focus=llm-vault`, hint };
}

/**
 * The one action that fixes a failing check, or null when no page of the console can (a master key
 * is loaded by operators on the console's processes). Vault links need the attached LLM vault.
 */
export function diagnosticFix(code: DiagnosticCode, { sessionId, llmVaultId }: DiagnosticFixContext): DiagnosticFix | null {
  switch (code) {
    case "no_llm_vault":
      return chooseVault(sessionId, "Pick the vault that holds the model token in the session's LLM vault picker.");
    case "multiple_llm_vaults":
      return chooseVault(sessionId, "Keep exactly one LLM vault: the picker takes one or none.");
    case "engine_mismatch":
      return chooseVault(sessionId, "Attach an LLM vault whose engine is claude instead.");
    case "llm_vault_archived":
      return chooseVault(sessionId, "An archived vault cannot be restored: attach another LLM vault that holds the token.");
    case "no_active_credential":
      return llmVaultId ? { label: "Add the token", href: `/vaults/${llmVaultId}?add=token`, hint: "Paste the model token into the LLM vault." } : null;
    case "credential_not_static_bearer":
    case "credential_has_mcp_server_url":
      return llmVaultId
        ? {
            label: "Replace the token",
            href: `/vaults/${llmVaultId}`,
            hint: "Archive the vault's credential, then add the model token as a plain bearer token.",
          }
        : null;
    case "openai_compatible_endpoint":
    case "llm_endpoint_refused":
      return llmVaultId
        ? {
            label: "Edit the endpoint",
            href: `/vaults/${llmVaultId}?edit=vault`,
            hint: "Point the vault's base URL at an Anthropic-compatible https endpoint (archive its token first if it holds one).",
          }
        : null;
    case "master_key_missing":
      return null;
  }
}
