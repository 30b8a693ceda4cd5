/**
 * What a runtime key may fetch runtime settings for (SPEC §7): the sessions it was created for, or
 * every session of one environment. A key with neither predates scoping and fetches nothing, so an
 * old key can never reach every session's placeholder (fetching settings revokes the previous one).
 */
export type RuntimeKeyScope = { kind: "sessions"; sessionIds: string[] } | { kind: "environment"; environmentId: string } | { kind: "none" };

export function runtimeKeyScopeOf(key: { environmentId: string | null; sessionIds: readonly string[] }): RuntimeKeyScope {
  if (key.environmentId) return { kind: "environment", environmentId: key.environmentId };
  if (key.sessionIds.length > 0) return { kind: "sessions", sessionIds: [...key.sessionIds] };
  return { kind: "none" };
}

/** Sessions named in a refusal; a key may list many, a message should stay readable. */
const NAMED_SESSIONS_MAX = 5;

function namedSessions(sessionIds: readonly string[]): string {
  const shown = sessionIds.slice(0, NAMED_SESSIONS_MAX).join(", ");
  const more = sessionIds.length - NAMED_SESSIONS_MAX;
  return more > 0 ? `${shown} and ${more} more` : shown;
}

/**
 * Whether the key could cover this session id at all before the session is looked up: a key scoped
 * to sessions names its ids, so an id outside them is refused without asking whether it exists.
 */
export function scopeMayCover(scope: RuntimeKeyScope, sessionId: string): boolean {
  return scope.kind === "environment" || (scope.kind === "sessions" && scope.sessionIds.includes(sessionId));
}

/**
 * Why the key may not fetch this session's settings (the 403 message), or null when it may.
 * `session` is null when it was not looked up or does not exist: the message is then the same as
 * for a session of another environment, so a refusal never tells whether the id exists.
 */
export function runtimeScopeRefusal(scope: RuntimeKeyScope, sessionId: string, session: { environmentId: string } | null): string | null {
  switch (scope.kind) {
    case "sessions":
      if (scope.sessionIds.includes(sessionId)) return null;
      return (
        `This runtime key is scoped to session${scope.sessionIds.length === 1 ? "" : "s"} ${namedSessions(scope.sessionIds)}, not ${sessionId}; ` +
        `give this session's runtime a key created with session_ids containing ${sessionId} or with its environment's environment_id`
      );
    case "environment":
      if (session && scope.environmentId === session.environmentId) return null;
      return (
        `This runtime key is scoped to the sessions of environment ${scope.environmentId}, and ${sessionId} is not one of them. ` +
        `Give this session's runtime a key created with session_ids containing ${sessionId} or with its environment's environment_id`
      );
    case "none":
      return (
        "This runtime key has no scope (it was created before runtime keys were scoped, or every session or environment it was for " +
        "has been deleted), so it fetches no runtime settings. Create a runtime key with session_ids or environment_id " +
        "(POST /v1/api_keys or the API keys page), give it to the runtime, and revoke this one"
      );
  }
}
