import type { DiagnosticCheck, DiagnosticCode } from "@/lib/serializers/diagnostics";
import type { SessionObject } from "@/lib/serializers/sessions";
import type { VaultObject } from "@/lib/serializers/vaults";
import type { VaultKind } from "@/lib/vault-kind";

/**
 * The console's list rows (`?include=console_row` on GET /v1/vaults and GET /v1/sessions): the
 * object the SDK sees, plus a `console` field with what a list row shows and would otherwise look
 * up one request per row. Without the parameter the response is exactly the API's.
 */
export const CONSOLE_ROW_INCLUDE = "console_row";

/** A readiness problem in words a list can show: one per cause, never a raw check code alone. */
export interface ReadinessIssue {
  code: DiagnosticCode;
  label: string;
}

export interface Readiness {
  ready: boolean;
  issues: ReadinessIssue[];
}

const READINESS_LABELS: Record<DiagnosticCode, string> = {
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

/** Checks that fail only because of another check's cause, so a list shows that cause once. */
const CONSEQUENCES: Partial<Record<DiagnosticCode, DiagnosticCode[]>> = {
  // An archived vault's token was destroyed: the credential checks fail for the same reason.
  llm_vault_archived: ["no_active_credential", "credential_not_static_bearer", "credential_has_mcp_server_url"],
  // No credential at all: the credential's own checks have nothing to look at.
  no_active_credential: ["credential_not_static_bearer", "credential_has_mcp_server_url"],
};

/** The failing checks as one readable issue per cause, in the diagnostics' own order. */
export function readinessOf(checks: DiagnosticCheck[]): Readiness {
  const failing = checks.filter((check) => !check.ok && !check.skipped);
  const hidden = new Set(failing.flatMap((check) => CONSEQUENCES[check.code] ?? []));
  const issues = failing.filter((check) => !hidden.has(check.code)).map((check) => ({ code: check.code, label: READINESS_LABELS[check.code] }));
  return { ready: checks.every((check) => check.ok), issues };
}

export interface VaultConsoleRow {
  kind: VaultKind;
  /** An LLM vault's model endpoint; null for other kinds. */
  endpoint: { url: string; is_default: boolean } | null;
  /** Whether an LLM vault holds its token; null for other kinds and for archived vaults (their tokens are destroyed). */
  token: "present" | "missing" | null;
  active_credentials: number;
  /** Sessions referencing the vault, archived ones included (they too keep it from being deleted). */
  sessions: number;
}

export interface SessionConsoleRow {
  agent: { id: string; name: string; version: number };
  environment: { id: string; name: string } | null;
  llm_vault: { id: string; display_name: string; archived: boolean; endpoint: string } | null;
  /** Attached vaults that are not the LLM vault. */
  other_vaults: number;
  readiness: Readiness;
}

export type VaultRow = VaultObject & { console: VaultConsoleRow };
export type SessionRow = SessionObject & { console: SessionConsoleRow };
