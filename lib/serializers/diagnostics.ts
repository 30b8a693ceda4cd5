/** The checks of a session's diagnostics, in the order a person should fix them (SPEC §5). */
export const DIAGNOSTIC_CODES = [
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

export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];

export interface DiagnosticCheck {
  code: DiagnosticCode;
  ok: boolean;
  message: string;
  /** What to do about a failed check; null when it passes. */
  fix: string | null;
  /** True when the check could not run (it needs exactly one LLM vault): it fails, but says nothing new. */
  skipped: boolean;
}

/** What lib/server/session-diagnostics.ts found for one session. */
export interface SessionDiagnostics {
  sessionId: string;
  ready: boolean;
  checks: DiagnosticCheck[];
  /** The session's latest session.error, so "why did my turn fail" is answered next to the checks. */
  lastError: LastSessionError | null;
}

export interface LastSessionError {
  eventId: string;
  /** The error object's type (model_request_failed_error, unknown_error, …). */
  type: string;
  message: string;
  at: Date;
}

export function serializeDiagnostics(diagnostics: SessionDiagnostics) {
  return {
    type: "session_diagnostics" as const,
    session_id: diagnostics.sessionId,
    ready: diagnostics.ready,
    checks: diagnostics.checks.map((entry) => ({
      code: entry.code,
      ok: entry.ok,
      skipped: entry.skipped,
      message: entry.message,
      fix: entry.fix,
    })),
    last_error: diagnostics.lastError && {
      event_id: diagnostics.lastError.eventId,
      type: diagnostics.lastError.type,
      message: diagnostics.lastError.message,
      at: diagnostics.lastError.at.toISOString(),
    },
  };
}

export type DiagnosticsObject = ReturnType<typeof serializeDiagnostics>;
