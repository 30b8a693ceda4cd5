/** The harness settings issued to a session's runtime (lib/server/runtime-settings.ts#issueRuntimeSettings). */
export interface RuntimeSettings {
  sessionId: string;
  engine: string;
  mode: "boundary" | "egress";
  /** The egress CA (PEM), and the file the runtime writes to its CA path: that CA then the public roots. Null in boundary mode. */
  caCertificate: string | null;
  caBundle: string | null;
  /** Placeholders and URLs only, never a secret. */
  env: Record<string, string>;
}

/** The harness settings a runtime receives: placeholders only, never the token. */
export function serializeRuntimeSettings(settings: RuntimeSettings) {
  return {
    type: "session_runtime" as const,
    session_id: settings.sessionId,
    engine: settings.engine,
    mode: settings.mode,
    ca_certificate: settings.caCertificate,
    ca_bundle: settings.caBundle,
    env: { ...settings.env },
  };
}

export type RuntimeSettingsObject = ReturnType<typeof serializeRuntimeSettings>;

export type ConnectionOutcome = "ok" | "token_refused" | "not_anthropic_compatible" | "unreachable";

/** What testing an LLM vault's model connection found (lib/server/connection-test.ts#testLlmVaultConnection). */
export interface ConnectionTestResult {
  vaultId: string;
  outcome: ConnectionOutcome;
  status: number | null;
  message: string;
  checkedAt: Date;
}

export function serializeConnectionTest(result: ConnectionTestResult) {
  return {
    type: "vault_connection_test" as const,
    vault_id: result.vaultId,
    outcome: result.outcome,
    status: result.status,
    message: result.message,
    checked_at: result.checkedAt.toISOString(),
  };
}

export type ConnectionTestObject = ReturnType<typeof serializeConnectionTest>;
