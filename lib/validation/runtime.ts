import type { ConnectionTestResult, RuntimeSettings } from "@/lib/server/boundary";

/** The harness settings a runtime receives: placeholders only, never the token. */
export function serializeRuntimeSettings(settings: RuntimeSettings) {
  return {
    type: "session_runtime" as const,
    session_id: settings.sessionId,
    engine: settings.engine,
    env: {
      ANTHROPIC_BASE_URL: settings.env.ANTHROPIC_BASE_URL,
      ANTHROPIC_API_KEY: settings.env.ANTHROPIC_API_KEY,
      ANTHROPIC_AUTH_TOKEN: settings.env.ANTHROPIC_AUTH_TOKEN,
    },
  };
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
