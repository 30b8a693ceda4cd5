import { z } from "zod";

/** Roles a key made in the console may have; `owner` keys come only from the bootstrap. */
export const API_KEY_CREATE_ROLES = ["admin", "viewer", "runtime"] as const;

export const API_KEY_ROLE_DESCRIPTIONS: Record<(typeof API_KEY_CREATE_ROLES)[number] | "owner", string> = {
  owner: "Read and write (bootstrap key)",
  admin: "Read and write every resource",
  viewer: "Read only",
  runtime: "Runtime routes only",
};

/** A runtime key may be scoped to this many sessions at most; more belong in an environment scope. */
export const RUNTIME_KEY_SESSIONS_MAX = 100;
const ID_MAX = 128;

const scopeIdSchema = z.string({ error: "must be a string" }).trim().min(1, "must not be empty").max(ID_MAX, `must be at most ${ID_MAX} characters`);

/** `session_ids`: the sessions a runtime key may fetch runtime settings for, each listed once. */
export const runtimeKeySessionIdsSchema = z
  .array(scopeIdSchema, { error: "must be an array of session ids" })
  .min(1, "must list at least one session (or send environment_id instead)")
  .max(RUNTIME_KEY_SESSIONS_MAX, `must list at most ${RUNTIME_KEY_SESSIONS_MAX} sessions; scope the key to their environment instead`)
  .superRefine((sessionIds, context) => {
    sessionIds.forEach((sessionId, index) => {
      const first = sessionIds.indexOf(sessionId);
      if (first !== index) {
        context.addIssue({ code: "custom", path: [index], message: `duplicates session_ids[${first}] (${sessionId}); list each session once` });
      }
    });
  });

export const runtimeKeyEnvironmentIdSchema = scopeIdSchema;

/**
 * The scope rule both edges share: a runtime key names its sessions or its one environment,
 * exactly one of the two; admin and viewer keys are not scoped.
 */
export function checkApiKeyScope(
  value: { role: string; session_ids?: readonly string[] | null; environment_id?: string | null },
  context: z.RefinementCtx,
): void {
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

export const apiKeyCreateSchema = z.object({
  name: z.string().trim().min(1, "is required").max(100, "must be at most 100 characters"),
  role: z.enum(API_KEY_CREATE_ROLES, { error: "must be admin, viewer or runtime" }),
  /** A calendar date (YYYY-MM-DD); the key stops working at the end of that day, UTC. Empty: never. */
  expires_on: z
    .string()
    .trim()
    .optional()
    .transform((value, context) => {
      if (!value) return null;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T23:59:59.999Z`))) {
        context.addIssue({ code: "custom", message: "must be a date such as 2027-01-31" });
        return z.NEVER;
      }
      const expiresAt = new Date(`${value}T23:59:59.999Z`);
      if (expiresAt.getTime() <= Date.now()) {
        context.addIssue({ code: "custom", message: "must be today or later" });
        return z.NEVER;
      }
      return expiresAt;
    }),
  /** Runtime keys: which of the two scope fields the form used. Ignored for other roles. */
  scope: z.string().optional(),
  environment_id: z.string().trim().optional(),
  /** Session ids separated by commas, spaces or line breaks. */
  session_ids: z.string().optional(),
}).transform((value, context) => {
  const base = { name: value.name, role: value.role, expires_on: value.expires_on, session_ids: null as string[] | null, environment_id: null as string | null };
  // The form shows the scope only for runtime keys; what a hidden field held is not sent on.
  if (value.role !== "runtime") return base;
  if (value.scope === "environment") {
    if (!value.environment_id) {
      context.addIssue({ code: "custom", path: ["environment_id"], message: "is required: choose the environment whose sessions this key may serve" });
      return z.NEVER;
    }
    return { ...base, environment_id: value.environment_id };
  }
  if (value.scope === "sessions") {
    const listed = (value.session_ids ?? "").split(/[\s,]+/).filter((sessionId) => sessionId.length > 0);
    const parsed = runtimeKeySessionIdsSchema.safeParse(listed);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) context.addIssue({ code: "custom", path: ["session_ids", ...issue.path], message: issue.message });
      return z.NEVER;
    }
    return { ...base, session_ids: parsed.data };
  }
  context.addIssue({ code: "custom", path: ["scope"], message: "is required for a runtime key: choose one environment or given sessions" });
  return z.NEVER;
});

export type ApiKeyCreateInput = z.output<typeof apiKeyCreateSchema>;

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
