import { z } from "zod";

import { API_KEY_CREATE_ROLES, API_KEY_ROLE_DESCRIPTIONS, RUNTIME_KEY_SESSIONS_MAX } from "@/lib/validation/limits";

export { API_KEY_CREATE_ROLES, API_KEY_ROLE_DESCRIPTIONS, RUNTIME_KEY_SESSIONS_MAX };
const ID_MAX = 128;

const scopeIdSchema = z.string({ error: "must be a string" }).trim().min(1, "must not be empty").max(ID_MAX, `must be at most ${ID_MAX} characters`);

/** `session_ids`: the sessions a runtime key may fetch runtime settings for, each listed once. */
const runtimeKeySessionIdsSchema = z
  .array(scopeIdSchema, { error: "must be an array of session ids" })
  .min(1, "must list at least one session (or send environment_id instead)")
  .max(RUNTIME_KEY_SESSIONS_MAX, `must list at most ${RUNTIME_KEY_SESSIONS_MAX} sessions; scope the key to their environment instead`)
  .superRefine((sessionIds, context) => {
    sessionIds.forEach((sessionId, index) => {
      const first = sessionIds.indexOf(sessionId);
      if (first !== index) {
        context.addIssue({
          code: "custom",
          path: [index],
          message: `duplicates session_ids[${first}] (${sessionId}); list each session once`,
        });
      }
    });
  });

/**
 * The scope rule: a runtime key names its sessions or its one environment, exactly one of the two;
 * admin and viewer keys are not scoped.
 */
function checkApiKeyScope(value: { role: string; session_ids?: readonly string[] | null; environment_id?: string | null }, context: z.RefinementCtx): void {
  const hasSessions = value.session_ids !== undefined && value.session_ids !== null;
  const hasEnvironment = value.environment_id !== undefined && value.environment_id !== null;
  if (value.role !== "runtime") {
    const message = `is only for runtime keys; ${value.role} keys are not scoped`;
    if (hasSessions) context.addIssue({ code: "custom", path: ["session_ids"], message });
    if (hasEnvironment) context.addIssue({ code: "custom", path: ["environment_id"], message });
    return;
  }
  if (hasSessions && hasEnvironment) {
    context.addIssue({
      code: "custom",
      path: ["environment_id"],
      message: "must not be sent with session_ids: a runtime key is scoped to given sessions or to one environment, not both",
    });
  } else if (!hasSessions && !hasEnvironment) {
    context.addIssue({
      code: "custom",
      path: ["session_ids"],
      message:
        "is required for a runtime key (or send environment_id instead): an unscoped runtime key could fetch, and so revoke, every session's runtime settings",
    });
  }
}

/**
 * `POST /v1/api_keys` (a console extension so automation can mint runtime keys) and the console's
 * New API key form (through apiKeyCreateBody): one schema, so both say the same. Its output is what
 * createApiKey takes.
 */
export const apiKeyCreateSchema = z
  .strictObject({
    name: z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters"),
    // Owner keys come only from the bootstrap: no key can mint a key more powerful than an admin.
    role: z.enum(API_KEY_CREATE_ROLES, { error: 'must be "admin", "viewer" or "runtime"' }),
    expires_at: z.iso
      .datetime({ offset: true, error: "must be an RFC 3339 timestamp" })
      .transform((value) => new Date(value))
      .refine((date) => date.getTime() > Date.now(), "must be in the future")
      .nullable()
      .optional(),
    /** Runtime keys: the sessions the key may fetch runtime settings for… */
    session_ids: runtimeKeySessionIdsSchema.nullable().optional(),
    /** …or the one environment whose sessions it may serve. Exactly one of the two. */
    environment_id: scopeIdSchema.nullable().optional(),
  })
  .superRefine(checkApiKeyScope)
  .transform((input) => ({
    name: input.name,
    role: input.role,
    expiresAt: input.expires_at ?? null,
    scope: input.environment_id ? { environmentId: input.environment_id } : input.session_ids ? { sessionIds: input.session_ids } : null,
  }));

export type ApiKeyCreateInput = z.output<typeof apiKeyCreateSchema>;

/**
 * The New API key form's fields as the API's body. The expiry is a date input: the key stops
 * working at the end of that day, UTC (empty: never). Session ids are separated by commas, spaces
 * or line breaks. The form shows the scope only for runtime keys, and only the chosen one is sent.
 */
export function apiKeyCreateBody(form: { name: string; role: string; expires_at: string; scope: string; environment_id: string; session_ids: string }) {
  const runtime = form.role === "runtime";
  return {
    name: form.name,
    role: form.role,
    expires_at: form.expires_at ? `${form.expires_at}T23:59:59.999Z` : null,
    environment_id: runtime && form.scope === "environment" ? form.environment_id : null,
    session_ids: runtime && form.scope === "sessions" ? form.session_ids.split(/[\s,]+/).filter((sessionId) => sessionId.length > 0) : null,
  };
}
