/** Key metadata; the key itself is never part of it (only the create response adds it, once). */
export function serializeApiKey(apiKey: {
  id: string;
  name: string;
  role: string;
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  environmentId: string | null;
  /** The scope's sessions in the order given; empty unless the key is session-scoped. */
  scopeSessionIds: readonly string[];
}) {
  const runtime = apiKey.role === "runtime";
  return {
    type: "api_key" as const,
    id: apiKey.id,
    name: apiKey.name,
    role: apiKey.role,
    prefix: apiKey.prefix,
    created_at: apiKey.createdAt.toISOString(),
    expires_at: apiKey.expiresAt?.toISOString() ?? null,
    last_used_at: apiKey.lastUsedAt?.toISOString() ?? null,
    revoked_at: apiKey.revokedAt?.toISOString() ?? null,
    // The scope (runtime keys): listed sessions, or one environment; null where it does not apply.
    session_ids: runtime && !apiKey.environmentId ? [...apiKey.scopeSessionIds] : null,
    environment_id: runtime ? apiKey.environmentId : null,
  };
}

export type ApiKeyObject = ReturnType<typeof serializeApiKey>;
