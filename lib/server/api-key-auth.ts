import "server-only";
import type { ApiKeyRole } from "@/lib/generated/prisma/client";
import { hashApiKey } from "@/lib/crypto/api-keys";
import type { PreparedStatement } from "@/lib/open-database";
import { settings } from "@/lib/env";
import { changeNotices, preparedQuery } from "@/lib/instances";
import { authenticateApiKeyInProcess, rateLimitError, type AuthenticatedApiKey } from "@/lib/server/api-key-memory";

/**
 * One statement, one round trip, on the path of every API-key call: find the key by its hash,
 * count the call in the key's rate-limit window, and stamp "last used".
 *
 * The window is fixed and starts at a key's first call after the previous one ended; the upsert
 * takes the counter row's lock, so concurrent calls on any number of processes each count once.
 * Only active keys are counted or stamped, so unknown, revoked and expired keys write nothing.
 * "Last used" promises a minute's precision, so it is written at most once a minute per key: the
 * other calls write only the unlogged counter, and a transaction that writes nothing logged
 * commits without waiting for a WAL flush. The clock is the database's, shared by every process.
 */
const AUTHENTICATE_API_KEY: PreparedStatement = {
  name: "authenticate_api_key_v1",
  text: `
    WITH api_key AS (
      SELECT id, role::text AS role, revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()) AS active
      FROM api_keys
      WHERE hash = $1
    ),
    counted AS (
      INSERT INTO api_key_rate_limits AS counter (api_key_id, window_started_at, requests)
      SELECT id, now(), 1 FROM api_key WHERE active AND $2::int > 0
      ON CONFLICT (api_key_id) DO UPDATE SET
        window_started_at = CASE WHEN counter.window_started_at > now() - interval '1 minute'
                                 THEN counter.window_started_at ELSE now() END,
        requests = CASE WHEN counter.window_started_at > now() - interval '1 minute'
                        THEN counter.requests + 1 ELSE 1 END
      RETURNING requests, window_started_at
    ),
    stamped AS (
      UPDATE api_keys SET last_used_at = now()
      WHERE id IN (SELECT id FROM api_key WHERE active)
        AND (last_used_at IS NULL OR last_used_at <= now() - interval '1 minute')
    )
    SELECT api_key.id, api_key.role, api_key.active, coalesce(counted.requests, 0) AS requests,
           coalesce(greatest(1, ceil(extract(epoch FROM counted.window_started_at + interval '1 minute' - now())))::int, 0)
             AS retry_after_seconds
    FROM api_key LEFT JOIN counted ON TRUE`,
};

interface AuthenticationRow {
  id: string;
  role: ApiKeyRole;
  active: boolean;
  /** Calls in the key's current window, this one included; 0 when the limit is off. */
  requests: number;
  /** Whole seconds until the window ends (at least 1); 0 when the limit is off. */
  retry_after_seconds: number;
}

export type { AuthenticatedApiKey };

/**
 * The active key for a presented secret, or null when it is unknown, revoked or expired. A key
 * over CONSOLE_API_RATE_LIMIT_PER_MINUTE gets a rate_limit_error carrying the seconds until its
 * window ends. On PostgreSQL the state is in the database, so the limit holds across processes
 * (SPEC §9); on the embedded database one process owns the data, so it is kept in this process
 * (lib/server/api-key-memory.ts), which spares every call a write.
 */
export async function authenticateApiKey(presented: string): Promise<AuthenticatedApiKey | null> {
  // Change notices exist only on the embedded database, whose one process is this one (lib/open-database.ts).
  return changeNotices() ? authenticateApiKeyInProcess(presented) : authenticateApiKeyInDatabase(presented);
}

/** The one statement above: lookup, counter and stamp, exact across any number of processes. */
export async function authenticateApiKeyInDatabase(presented: string): Promise<AuthenticatedApiKey | null> {
  const apiRateLimitPerMinute = settings().CONSOLE_API_RATE_LIMIT_PER_MINUTE;
  const [row] = await preparedQuery()<AuthenticationRow>(AUTHENTICATE_API_KEY, [hashApiKey(presented), String(apiRateLimitPerMinute)]);
  if (!row?.active) return null;
  if (apiRateLimitPerMinute > 0 && row.requests > apiRateLimitPerMinute) throw rateLimitError(apiRateLimitPerMinute, row.retry_after_seconds);
  return { id: row.id, role: row.role };
}
