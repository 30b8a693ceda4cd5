// No `server-only` marker: booted by lib/boot.ts and read by the boundary, both outside Next.
import type { PreparedQuery, PreparedStatement, RememberedRowsCoherence } from "@/lib/open-database";

/**
 * One flat query on the path of every model call: the placeholder, its session, the session's LLM
 * vault and that vault's active credential (at most one: a unique index says so). Prepared, so the
 * database plans the five-way join once per connection rather than on every call.
 */
export const BOUNDARY_LOOKUP: PreparedStatement = {
  name: "boundary_lookup_v2",
  text: `
    SELECT rc.session_id, rc.revoked_at IS NOT NULL AS revoked, rc.expires_at, s.archived_at IS NOT NULL AS session_archived,
           v.id AS vault_id, v.archived_at IS NOT NULL AS vault_archived, v.metadata AS vault_metadata,
           c.id AS credential_id, c.auth_type::text AS auth_type, c.mcp_server_url,
           c.secret_ciphertext, c.secret_key_id, c.endpoint_origin
    FROM runtime_credentials rc
    JOIN sessions s ON s.id = rc.session_id
    LEFT JOIN session_vaults sv ON sv.session_id = s.id AND sv.llm_slot = TRUE
    LEFT JOIN vaults v ON v.id = sv.vault_id
    LEFT JOIN vault_credentials c ON c.vault_id = v.id AND c.archived_at IS NULL
    WHERE rc.placeholder_hash = $1`,
};

/** Sent by the triggers of the boundary_change_notices migration on any write to a table above (since boundary_change_barrier, of a column read here). */
export const BOUNDARY_LOOKUP_CHANNEL = "boundary_lookup_changed";

/** Placeholders remembered at most; past it, all are forgotten and read again as they come. */
const REMEMBERED_LIMIT = 10_000;

/** The credential is sealed; the token is opened per row object (lib/boundary/base-url-target.ts), so only while a remembered row lives. */
export interface BoundaryRow {
  session_id: string;
  revoked: boolean;
  /** The expiry of the runtime key that obtained the placeholder, which it never outlives. */
  expires_at: Date | string | null;
  session_archived: boolean;
  vault_id: string | null;
  vault_archived: boolean | null;
  vault_metadata: unknown;
  credential_id: string | null;
  auth_type: string | null;
  mcp_server_url: string | null;
  secret_ciphertext: Uint8Array | null;
  secret_key_id: string | null;
  /** The origin the credential's token was stored for (see lib/server/credentials.ts). */
  endpoint_origin: string | null;
}

/** The row for a placeholder's SHA-256 (hex), or undefined for a placeholder never issued. */
export type BoundaryLookup = (placeholderHash: string) => Promise<BoundaryRow | undefined>;

/**
 * A per-placeholder read, remembered while `coherence` trusts it: until the next change notice on
 * the embedded database (a notice arrives there before the commit that sent it returns), and on
 * PostgreSQL while this process holds a live lease of the change barrier (lib/change-barrier.ts),
 * whose commits return only after every such process has heard them. Rotation, revocation and
 * archiving thus apply from the very next request, wherever it is served. Untrusted, and without
 * a coherence at all, every call reads (see sharedReads). `found` says which answers to keep.
 */
export async function rememberedReads<Answer>(
  coherence: RememberedRowsCoherence | null,
  read: (placeholderHash: string) => Promise<Answer>,
  found: (answer: Answer) => boolean,
): Promise<(placeholderHash: string) => Promise<Answer>> {
  const readPerCall = sharedReads(read);
  if (!coherence) return readPerCall;
  const remembered = new Map<string, Answer>();
  let changes = 0;
  await coherence.watch(BOUNDARY_LOOKUP_CHANNEL, () => {
    changes++;
    remembered.clear();
  });
  return async (placeholderHash) => {
    if (coherence.trustedForMs() <= 0) return readPerCall(placeholderHash);
    if (remembered.has(placeholderHash)) return remembered.get(placeholderHash) as Answer;
    const changesBefore = changes;
    const answer = await readPerCall(placeholderHash);
    // A change whose notice came while this read was under way may be missing from it: not kept.
    if (found(answer) && changes === changesBefore && coherence.trustedForMs() > 0) {
      if (remembered.size >= REMEMBERED_LIMIT) remembered.clear();
      remembered.set(placeholderHash, answer);
    }
    return answer;
  };
}

/**
 * A read per call that shares its query with the calls for the same placeholder that came
 * meanwhile, for a database whose answers cannot be remembered (PostgreSQL: another process's
 * revocation must apply from the next call on). One read per placeholder at a time: a call that
 * arrives while one is under way waits for it to end and joins the next. Each call's answer thus
 * still comes from a read that began after the call arrived, so no change committed before the call
 * is missed, while a session's N concurrent model calls cost the database a few reads rather than
 * N. Different placeholders read in parallel, each with the one-row statement and its plan.
 */
export function sharedReads<Answer>(read: (placeholderHash: string) => Promise<Answer>): (placeholderHash: string) => Promise<Answer> {
  type Waiter = { resolve: (answer: Answer) => void; reject: (error: unknown) => void };
  /** Per placeholder being read: the calls waiting for the next read (empty while only the current one runs). */
  const pending = new Map<string, Waiter[]>();
  const start = (placeholderHash: string, waiters: Waiter[]) => {
    pending.set(placeholderHash, []);
    read(placeholderHash)
      .then(
        (answer) => {
          for (const waiter of waiters) waiter.resolve(answer);
        },
        (error: unknown) => {
          for (const waiter of waiters) waiter.reject(error);
        },
      )
      .finally(() => {
        const next = pending.get(placeholderHash) ?? [];
        if (next.length > 0) start(placeholderHash, next);
        else pending.delete(placeholderHash);
      });
  };
  return (placeholderHash) =>
    new Promise<Answer>((resolve, reject) => {
      const waiting = pending.get(placeholderHash);
      if (waiting) waiting.push({ resolve, reject });
      else start(placeholderHash, [{ resolve, reject }]);
    });
}

/** Reads the boundary's row for a placeholder, remembered while the database's coherence allows (see rememberedReads). */
export function createBoundaryLookup(database: { preparedQuery: PreparedQuery; rememberedRows: RememberedRowsCoherence | null }): Promise<BoundaryLookup> {
  const read: BoundaryLookup = async (placeholderHash) => (await database.preparedQuery<BoundaryRow>(BOUNDARY_LOOKUP, [placeholderHash]))[0];
  return rememberedReads(database.rememberedRows, read, (row) => row !== undefined);
}
