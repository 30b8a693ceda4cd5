import { z } from "zod";
import { invalidField } from "@/lib/errors";

export const LIST_LIMIT_DEFAULT = 20;
export const LIST_LIMIT_MAX = 100;

const booleanParam = z.enum(["true", "false"], { error: 'must be "true" or "false"' }).transform((value) => value === "true");

/** The shared list query: `limit`, the opaque `page` cursor, `include_archived`. */
export const listQuerySchema = z.strictObject({
  limit: z
    .string()
    .regex(/^\d+$/, `must be an integer between 1 and ${LIST_LIMIT_MAX}`)
    .transform(Number)
    .pipe(z.number().int().min(1, `must be between 1 and ${LIST_LIMIT_MAX}`).max(LIST_LIMIT_MAX, `must be between 1 and ${LIST_LIMIT_MAX}`))
    .optional(),
  page: z.string().min(1, "must not be empty").max(200, "is not a valid page cursor").optional(),
  include_archived: booleanParam.optional(),
});

export type ListQuery = z.output<typeof listQuerySchema>;

export interface ListOptions {
  limit: number;
  page?: string;
  includeArchived: boolean;
}

export function listOptions(query: ListQuery): ListOptions {
  return { limit: query.limit ?? LIST_LIMIT_DEFAULT, page: query.page, includeArchived: query.include_archived ?? false };
}

/**
 * Cursors are keyset positions (the row's insertion sequence), so page 1,000 costs what page 1
 * does. The scope ties a cursor to its list: a vaults cursor is refused by a credentials list.
 */
const BIGINT_MAX = 2n ** 63n - 1n;

export function encodeCursor(scope: string, seq: bigint): string {
  return `page_${Buffer.from(`${scope}:${seq.toString()}`, "utf8").toString("base64url")}`;
}

const INVALID_CURSOR = "is not a valid page cursor for this list; pass the next_page or prev_page value of a previous response";

/** Reads any cursor this console issued: its scope and keyset position, or null. */
export function readCursor(cursor: string): { scope: string; seq: bigint } | null {
  if (!cursor.startsWith("page_")) return null;
  const decoded = Buffer.from(cursor.slice("page_".length), "base64url").toString("utf8");
  const [scope, position, ...rest] = decoded.split(":");
  if (!scope || rest.length > 0 || !position || !/^\d{1,19}$/.test(position)) return null;
  const seq = BigInt(position);
  // The keyset column is a PostgreSQL bigint; a larger number would fail in the query, not here.
  return seq > BIGINT_MAX ? null : { scope, seq };
}

export function decodeCursor(scope: string, cursor: string): bigint {
  const read = readCursor(cursor);
  if (!read || read.scope !== scope) throw invalidField("page", INVALID_CURSOR);
  return read.seq;
}

export type PageDirection = "next" | "prev";

/** Cursors of lists that also page backwards (`prev_page`): the direction is part of the scope. */
export function encodeDirectedCursor(scope: string, direction: PageDirection, seq: bigint): string {
  return encodeCursor(`${scope}.${direction}`, seq);
}

export function decodeDirectedCursor(scope: string, cursor: string): { direction: PageDirection; seq: bigint } {
  const read = readCursor(cursor);
  if (read?.scope === `${scope}.next`) return { direction: "next", seq: read.seq };
  if (read?.scope === `${scope}.prev`) return { direction: "prev", seq: read.seq };
  throw invalidField("page", INVALID_CURSOR);
}

/**
 * The query for one page of a newest-first list: not archived unless asked, past the cursor's
 * position, one row more than the limit (to learn whether another page exists).
 */
export function keysetPageArgs(options: ListOptions, scope: string) {
  const before = options.page === undefined ? undefined : decodeCursor(scope, options.page);
  return {
    where: {
      ...(options.includeArchived ? {} : { archivedAt: null }),
      ...(before === undefined ? {} : { seq: { lt: before } }),
    },
    orderBy: { seq: "desc" as const },
    take: options.limit + 1,
  };
}

/** Takes one row more than asked to learn whether another page exists. */
export function pageOf<Row extends { seq: bigint }>(rows: Row[], limit: number, scope: string): { items: Row[]; nextPage: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextPage: rows.length > limit && last ? encodeCursor(scope, last.seq) : null };
}
