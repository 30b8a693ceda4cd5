import "server-only";
import type { Vault } from "@/lib/generated/prisma/client";
import type { PreparedStatement } from "@/lib/open-database";
import { preparedQuery } from "@/lib/instances";
import { likeLiteral } from "@/lib/server/keyset-pages";
import type { KeysetPosition } from "@/lib/validation/pagination";

/** Which optional clauses a vault list has: each shape is one prepared statement. */
export interface VaultListShape {
  includeArchived: boolean;
  after: KeysetPosition | undefined;
  /** Text the name contains, in any case. */
  nameContains: string | undefined;
  /** The stored kind (null: a vault of kind `other`), or undefined for any. */
  kind: Vault["kind"] | undefined;
}

interface VaultListRow {
  id: string;
  /** As text (a bigint), under a name of its own: an output column called `seq` would be what ORDER BY sorts. */
  seq_text: string;
  display_name: string;
  metadata: Vault["metadata"];
  role: Vault["kind"];
  created_at: Date;
  updated_at: Date;
  archived_at: Date | null;
  active: boolean;
}

const statements = new Map<string, PreparedStatement>();

/**
 * The statement for a shape, built once: its name says which clauses it has, so every connection
 * prepares it once rather than parsing it per call as Prisma's queries are (on the embedded
 * database that parse and plan was half of a list's cost; there it also keeps one plan for any
 * values, see PreparedStatement.genericPlan).
 */
function statementFor(shape: VaultListShape): PreparedStatement {
  const clauses: string[] = [];
  const flags: string[] = [];
  // $1 is the row count; the others follow in the order below.
  let parameter = 1;
  if (!shape.includeArchived) {
    // `active`, not `archived_at IS NULL`: it leads the index that serves this order (see NOT_ARCHIVED).
    clauses.push("active");
    flags.push("a");
  }
  if (shape.after) {
    const createdAt = `$${++parameter}::timestamptz`;
    const seq = `$${++parameter}::bigint`;
    // The redundant bound lets the index scan start at the cursor (see keysetPast).
    clauses.push(`created_at <= ${createdAt} AND (created_at < ${createdAt} OR seq < ${seq})`);
    flags.push("c");
  }
  if (shape.nameContains !== undefined) {
    clauses.push(`display_name ILIKE '%' || $${++parameter} || '%'`);
    flags.push("n");
  }
  if (shape.kind !== undefined) {
    clauses.push(shape.kind === null ? "role IS NULL" : `role = $${++parameter}::"VaultRole"`);
    flags.push(shape.kind === null ? "o" : "k");
  }
  const name = `vault_list_v1_${flags.join("") || "all"}`;
  let statement = statements.get(name);
  if (!statement) {
    statement = {
      name,
      genericPlan: true,
      text: `
        SELECT id, seq::text AS seq_text, display_name, metadata, role::text AS role, created_at, updated_at, archived_at, active
        FROM vaults
        ${clauses.length > 0 ? `WHERE ${clauses.join(" AND ")}` : ""}
        ORDER BY created_at DESC, seq DESC
        LIMIT $1::int`,
    };
    statements.set(name, statement);
  }
  return statement;
}

/** The statement for a shape and its values, for reading `rows` vaults (and for planning it in tests). */
export function vaultListQuery(shape: VaultListShape, rows: number): { statement: PreparedStatement; values: string[] } {
  const values = [String(rows)];
  if (shape.after) values.push(shape.after.createdAt.toISOString(), shape.after.seq.toString());
  if (shape.nameContains !== undefined) values.push(likeLiteral(shape.nameContains));
  if (shape.kind !== undefined && shape.kind !== null) values.push(shape.kind);
  return { statement: statementFor(shape), values };
}

/** Up to `rows` vaults of a shape, newest first, as Prisma would return them. */
export async function readVaultList(shape: VaultListShape, rows: number): Promise<Vault[]> {
  const { statement, values } = vaultListQuery(shape, rows);
  const found = await preparedQuery()<VaultListRow>(statement, values);
  return found.map((row) => ({
    id: row.id,
    seq: BigInt(row.seq_text),
    displayName: row.display_name,
    metadata: row.metadata,
    kind: row.role,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    archivedAt: row.archived_at,
    active: row.active,
  }));
}
