// No `server-only` marker: lib/server/api-keys.ts, which forgets keys on revoking, runs in plain Node too (scripts/start.ts).
import type { ApiKeyRole } from "@/lib/generated/prisma/client";
import { hashApiKey } from "@/lib/crypto/api-keys";
import { ConsoleError } from "@/lib/errors";
import type { PreparedStatement } from "@/lib/open-database";
import { settings } from "@/lib/env";
import { preparedQuery } from "@/lib/instances";
import { metrics } from "@/lib/ops/metrics";

export interface AuthenticatedApiKey {
  id: string;
  role: ApiKeyRole;
}

export function rateLimitError(limit: number, retryAfterSeconds: number): ConsoleError {
  metrics().rateLimitRefusals.inc({ scope: "api_key" });
  return new ConsoleError("rate_limit_error", `Rate limit exceeded: this API key may make ${limit} requests per minute; retry after ${retryAfterSeconds} s`, {
    retryAfterSeconds,
  });
}

/**
 * API-key authentication on the embedded database (lib/server/api-key-auth.ts picks it there): one
 * process owns the data, so what every process would have to share through the database on
 * PostgreSQL — the rate-limit counter, the key's row — is kept in this process, coherently.
 */

const FIND_API_KEY: PreparedStatement = {
  name: "find_api_key_v1",
  text: `SELECT id, role::text AS role, revoked_at IS NOT NULL AS revoked, expires_at FROM api_keys WHERE hash = $1`,
};

const STAMP_LAST_USED: PreparedStatement = {
  name: "stamp_api_key_last_used_v1",
  text: `UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= now() - interval '1 minute')`,
};

interface FoundKeyRow {
  id: string;
  role: ApiKeyRole;
  revoked: boolean;
  expires_at: Date | string | null;
}

interface KnownKey {
  id: string;
  role: ApiKeyRole;
  revoked: boolean;
  /** Epoch ms; null for a key that never expires. */
  expiresAt: number | null;
}

const WINDOW_MS = 60_000;
/** "Last used" promises a minute's precision: written at most this often per key. */
const STAMP_EVERY_MS = 60_000;
/** Keys remembered at most; past it, all are forgotten and read again as they come. */
const REMEMBERED_LIMIT = 10_000;

interface InProcessState {
  /** By the key's SHA-256. Keys are never deleted and a role never changes; revocation goes through forgetApiKeys. */
  keys: Map<string, KnownKey>;
  /** Bumped by forgetApiKeys, so a read that was under way when keys were revoked is not kept. */
  generation: number;
  windows: Map<string, { startedAt: number; requests: number }>;
  stampedAt: Map<string, number>;
}

/**
 * On a well-known global, as lib/instances.ts does: Next bundles its own copy of this module for
 * the routes and for the server actions, and a revocation in one must reach the lookup in the other.
 */
const STATE_KEY = Symbol.for("managed-agents-console.api-key-auth");
type StateHolder = { [STATE_KEY]?: InProcessState };

function state(): InProcessState {
  const holder = globalThis as StateHolder;
  holder[STATE_KEY] ??= { keys: new Map(), generation: 0, windows: new Map(), stampedAt: new Map() };
  return holder[STATE_KEY];
}

/**
 * Drops every remembered key, so the next call of each reads its row again. lib/server/api-keys.ts
 * calls it when it revokes keys, before and after the revoking transaction commits: the embedded
 * database runs one transaction at a time, so no read can see the old row after that.
 */
export function forgetApiKeys(): void {
  const current = state();
  current.generation++;
  current.keys.clear();
}

async function knownKey(hash: string): Promise<KnownKey | null> {
  const current = state();
  const remembered = current.keys.get(hash);
  if (remembered) return remembered;
  const generation = current.generation;
  const [row] = await preparedQuery()<FoundKeyRow>(FIND_API_KEY, [hash]);
  if (!row) return null;
  const key: KnownKey = {
    id: row.id,
    role: row.role,
    revoked: row.revoked,
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at).getTime(),
  };
  if (current.generation === generation) {
    if (current.keys.size >= REMEMBERED_LIMIT) current.keys.clear();
    current.keys.set(hash, key);
  }
  return key;
}

/** Counts the call in the key's fixed one-minute window; the seconds left in it when over the limit, else null. */
function countCall(current: InProcessState, apiKeyId: string, limit: number, now: number): number | null {
  let window = current.windows.get(apiKeyId);
  if (!window || now - window.startedAt >= WINDOW_MS) {
    if (!window && current.windows.size >= REMEMBERED_LIMIT) {
      for (const [id, each] of current.windows) if (now - each.startedAt >= WINDOW_MS) current.windows.delete(id);
    }
    window = { startedAt: now, requests: 0 };
    current.windows.set(apiKeyId, window);
  }
  window.requests++;
  return window.requests > limit ? Math.max(1, Math.ceil((window.startedAt + WINDOW_MS - now) / 1000)) : null;
}

/**
 * authenticateApiKey on the embedded database: the key's row is read once and remembered (revoking
 * forgets it at once, see forgetApiKeys; expiry is checked on every call), the rate-limit window is
 * counted in memory, and "last used" is written at most once a minute per key. So a call that is
 * not a key's first in a minute writes nothing and, after the key's first call, reads nothing.
 * The counters start afresh when the process restarts, as the unlogged table does after a crash.
 */
export async function authenticateApiKeyInProcess(presented: string): Promise<AuthenticatedApiKey | null> {
  const key = await knownKey(hashApiKey(presented));
  const now = Date.now();
  if (!key || key.revoked || (key.expiresAt !== null && key.expiresAt <= now)) return null;
  const current = state();
  const apiRateLimitPerMinute = settings().CONSOLE_API_RATE_LIMIT_PER_MINUTE;
  if (apiRateLimitPerMinute > 0) {
    const retryAfterSeconds = countCall(current, key.id, apiRateLimitPerMinute, now);
    if (retryAfterSeconds !== null) throw rateLimitError(apiRateLimitPerMinute, retryAfterSeconds);
  }
  const stampedAt = current.stampedAt.get(key.id);
  if (stampedAt === undefined || now - stampedAt >= STAMP_EVERY_MS) {
    current.stampedAt.set(key.id, now);
    await preparedQuery()(STAMP_LAST_USED, [key.id]);
  }
  return { id: key.id, role: key.role };
}
