import { createHash, createHmac, randomBytes } from "node:crypto";

/**
 * The placeholders a session's runtime holds instead of secrets. The session placeholder stands
 * for the model token (and authenticates the runtime to both front doors); the console stores only
 * its SHA-256. An environment_variable credential's placeholder is derived from it, so the egress
 * proxy recognises one without storing anything more and a new session placeholder retires them all.
 */
export const PLACEHOLDER_PREFIX = "s0rt_";
export const PLACEHOLDER_PATTERN = /^s0rt_[A-Za-z0-9_-]{43}$/;
const VARIABLE_PLACEHOLDER_PREFIX = "s0ev_";

export function newPlaceholder(): string {
  return `${PLACEHOLDER_PREFIX}${randomBytes(32).toString("base64url")}`;
}

export function hashPlaceholder(placeholder: string): string {
  return createHash("sha256").update(placeholder, "utf8").digest("hex");
}

/** Hashes of the placeholders presented lately, at most RECENT_HASHES_MAX (then all are forgotten). */
const recentHashes = new Map<string, string>();
const RECENT_HASHES_MAX = 1_000;

/**
 * hashPlaceholder for the front doors, which see the same few placeholders on every call: a hash
 * object per call was about 2 % of the base-URL door's CPU. The map holds nothing the process does
 * not hold anyway while it serves those sessions.
 */
export function presentedPlaceholderHash(placeholder: string): string {
  let hash = recentHashes.get(placeholder);
  if (hash === undefined) {
    hash = hashPlaceholder(placeholder);
    if (recentHashes.size >= RECENT_HASHES_MAX) recentHashes.clear();
    recentHashes.set(placeholder, hash);
  }
  return hash;
}

/** Shown in the audit log and on the session page: enough to tell placeholders apart, never to use one. */
export function placeholderPrefix(placeholder: string): string {
  return placeholder.slice(0, 10);
}

/** What the runtime holds for one environment_variable credential while `placeholder` is its session's. */
export function variablePlaceholder(placeholder: string, credentialId: string): string {
  return `${VARIABLE_PLACEHOLDER_PREFIX}${createHmac("sha256", placeholder).update(credentialId, "utf8").digest("base64url")}`;
}

/** Where the boundary's door is reached besides the console's own origin: CONSOLE_BOUNDARY_URL (or null) and CONSOLE_BOUNDARY_PORT (or 0). */
export interface BoundaryDoor {
  url: string | null;
  port: number;
}

/**
 * Where a session's runtime sends its model calls in boundary mode: this console's boundary for that
 * session, at the door's URL when an operator named one; else on the same host's door port when the
 * door has a port of its own, which speaks plain http. A console reached over https keeps its own
 * origin instead: the placeholder and every prompt would otherwise cross the network unencrypted,
 * past the proxy that terminates TLS.
 */
export function boundaryBaseUrl(publicOrigin: string, sessionId: string, door: BoundaryDoor): string {
  const reached = new URL(publicOrigin);
  const origin = door.url ?? (door.port !== 0 && reached.protocol === "http:" ? `http://${reached.hostname}:${door.port}` : publicOrigin.replace(/\/$/, ""));
  return `${origin}/boundary/${sessionId}`;
}
