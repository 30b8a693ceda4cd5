import { z } from "zod";
import { checkApiKeyScope, runtimeKeyEnvironmentIdSchema, runtimeKeySessionIdsSchema } from "@/lib/validation/api-keys";

/** `POST /v1/api_keys`, a console extension so automation can mint runtime keys. */
export const apiKeyCreateRequestSchema = z.strictObject({
  name: z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters"),
  // Owner keys come only from the bootstrap: no key can mint a key more powerful than an admin.
  role: z.enum(["admin", "viewer", "runtime"], { error: 'must be "admin", "viewer" or "runtime"' }),
  expires_at: z.iso
    .datetime({ offset: true, error: "must be an RFC 3339 timestamp" })
    .transform((value) => new Date(value))
    .refine((date) => date.getTime() > Date.now(), "must be in the future")
    .nullable()
    .optional(),
  /** Runtime keys: the sessions the key may fetch runtime settings for… */
  session_ids: runtimeKeySessionIdsSchema.nullable().optional(),
  /** …or the one environment whose sessions it may serve. Exactly one of the two. */
  environment_id: runtimeKeyEnvironmentIdSchema.nullable().optional(),
}).superRefine(checkApiKeyScope);

export type ApiKeyCreateRequest = z.output<typeof apiKeyCreateRequestSchema>;

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
