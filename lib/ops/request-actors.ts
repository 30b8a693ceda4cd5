/**
 * Who made a request, as its handler learnt it (an API key's id, a user's id), kept until the
 * request's log line is written. The handler runs in Next's copy of the modules and the log line is
 * written by the custom server, so the map lives on a well-known global, keyed by the request id the
 * server gave the request (lib/http/headers.ts REQUEST_ID_HEADER).
 */
const ACTORS_KEY = Symbol.for("managed-agents-console.request-actors");
type ActorsHolder = { [ACTORS_KEY]?: Map<string, string> };

function actors(): Map<string, string> {
  const holder = globalThis as ActorsHolder;
  holder[ACTORS_KEY] ??= new Map();
  return holder[ACTORS_KEY];
}

/** `api_key:key_…`, `user:usr_…` or `system`: ids, never a secret. */
export type ActorLabel = string;

export function actorLabel(actor: { kind: "system" } | { kind: "api_key" | "user"; id: string }): ActorLabel {
  return actor.kind === "system" ? "system" : `${actor.kind}:${actor.id}`;
}

export function noteRequestActor(requestId: string, actor: ActorLabel): void {
  actors().set(requestId, actor);
}

/** The actor noted for this request, forgotten as it is read (each request is logged once). */
export function takeRequestActor(requestId: string): ActorLabel | null {
  const map = actors();
  const actor = map.get(requestId) ?? null;
  map.delete(requestId);
  return actor;
}
