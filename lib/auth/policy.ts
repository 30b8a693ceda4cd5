import type { ApiKeyRole, UserRole } from "@/lib/generated/prisma/client";
import { runtimeScopeRefusal, type RuntimeKeyScope } from "@/lib/auth/runtime-key-scope";
import { ConsoleError } from "@/lib/errors";

/**
 * Who may do what: the one place the console decides it, for /v1 (API keys and the console's own
 * cookie calls), server actions and pages alike, with one set of refusal messages. Pages use it
 * only to hide controls; the route or action behind a control asks again.
 */

/** Someone making a call: a signed-in console user or an API key, each with its role. */
export type Principal = { kind: "user"; role: UserRole } | { kind: "api_key"; role: ApiKeyRole };

/**
 * What a call does. `read` sees resources (never a secret), `write` changes them, `manage_users`
 * adds and changes console users, `runtime` fetches a session's runtime settings.
 */
export type Action = "read" | "write" | "manage_users" | "runtime";

const GRANTS: Record<ApiKeyRole, ReadonlySet<Action>> = {
  owner: new Set(["read", "write", "manage_users"]),
  admin: new Set(["read", "write"]),
  viewer: new Set(["read"]),
  // A runtime key reaches only what a session's runtime needs, so a leaked one reads nothing else.
  runtime: new Set(["runtime"]),
};

export function userPrincipal(user: { role: UserRole }): Principal {
  return { kind: "user", role: user.role };
}

export function apiKeyPrincipal(apiKey: { role: ApiKeyRole }): Principal {
  return { kind: "api_key", role: apiKey.role };
}

export function may(principal: Principal, action: Action): boolean {
  return GRANTS[principal.role].has(action);
}

/** Shorthand for pages, which decide which controls a signed-in user sees. */
export function userMay(user: { role: UserRole }, action: Action): boolean {
  return may(userPrincipal(user), action);
}

function subject(principal: Principal): string {
  return principal.kind === "user" ? `Your user has the ${principal.role} role` : `This API key has the ${principal.role} role`;
}

/** Why the principal may not do this (a sentence for a 403 or a form banner), or null when it may. */
export function refusalOf(principal: Principal, action: Action): string | null {
  if (may(principal, action)) return null;
  const who = subject(principal);
  if (principal.role === "runtime") {
    return `${who}, which only fetches runtime settings (POST /v1/sessions/{session_id}/runtime); use an owner, admin or viewer key for anything else`;
  }
  switch (action) {
    case "read":
    case "write":
      return `${who}, which is read-only: ask an owner or admin to make this change`;
    case "manage_users":
      return `${who}; only owners manage users`;
    case "runtime":
      return `${who}; runtime settings are fetched with a runtime API key only`;
  }
}

/** Throws the 403 (`permission_error`) when the principal may not do this. */
export function authorize(principal: Principal, action: Action): void {
  const refusal = refusalOf(principal, action);
  if (refusal) throw new ConsoleError("permission_error", refusal);
}

/**
 * Whether a runtime key could cover this session before the session is looked up: a key scoped to
 * session ids is refused for any other id without asking whether it exists.
 */
export { scopeMayCover } from "@/lib/auth/runtime-key-scope";

/**
 * The resource half of `runtime`: the key's scope must cover the session. `session` is null when it
 * was not looked up or does not exist, and gets the same 403 as another environment's session.
 */
export function authorizeRuntimeSession(scope: RuntimeKeyScope, sessionId: string, session: { environmentId: string } | null): void {
  const refusal = runtimeScopeRefusal(scope, sessionId, session);
  if (refusal) throw new ConsoleError("permission_error", refusal);
}
