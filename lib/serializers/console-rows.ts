import { DIAGNOSTIC_SHORT_LABELS } from "@/lib/diagnostic-fixes";
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

/**
 * The failing checks as one readable issue per cause, in the diagnostics' own order: a check that
 * fails only because an earlier one did is `skipped` by the diagnostics (lib/server/session-diagnostics.ts).
 */
export function readinessOf(checks: DiagnosticCheck[]): Readiness {
  const issues = checks.filter((check) => !check.ok && !check.skipped).map((check) => ({ code: check.code, label: DIAGNOSTIC_SHORT_LABELS[check.code] }));
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
