// The Prisma side of keyset pagination: which rows a page holds and in which order. The cursor
// itself, and the list query it arrives in, are read and written in lib/validation/pagination.ts.
import { decodeCursor, encodeCursor, type KeysetPosition, type ListOptions } from "@/lib/validation/pagination";

/** One page of a newest-first list, as the services return it. */
export interface KeysetPage<Row> {
  items: Row[];
  nextPage: string | null;
}

/**
 * Rows strictly past `position` when scanning in `scan` order. The redundant bound on created_at
 * lets PostgreSQL start the index scan at the cursor instead of filtering from the first row.
 */
export function keysetPast(position: KeysetPosition, scan: "desc" | "asc") {
  return scan === "desc"
    ? { createdAt: { lte: position.createdAt }, OR: [{ createdAt: { lt: position.createdAt } }, { seq: { lt: position.seq } }] }
    : { createdAt: { gte: position.createdAt }, OR: [{ createdAt: { gt: position.createdAt } }, { seq: { gt: position.seq } }] };
}

export function keysetOrder(scan: "desc" | "asc") {
  return [{ createdAt: scan }, { seq: scan }];
}

/**
 * Rows that are not archived, as lists ask for them: `active` (archived_at IS NULL, kept by a
 * trigger) leads the lists' indexes, so the planner walks one in keyset order even before the
 * table has statistics (see the list_active_flag migration); `archivedAt: null` would be guessed
 * to match 0.5 % of the rows and answered by reading and sorting them all.
 */
export const NOT_ARCHIVED = { active: true } as const;

/**
 * `text` for a LIKE pattern, its own `%`, `_` and `\` taken literally (PostgreSQL's default escape
 * is the backslash): a search for "100%" finds the names that contain "100%", not every name.
 */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/**
 * A name filter for the console's searches: the name contains `text`, in any case. Undefined for
 * no text, which Prisma reads as no filter at all. Prisma hands `contains` to ILIKE as it is, so
 * the text's pattern characters are escaped first.
 */
export function nameContaining(text: string | undefined): { contains: string; mode: "insensitive" } | undefined {
  return text ? { contains: likeLiteral(text), mode: "insensitive" } : undefined;
}

/**
 * The query for one page of a newest-first list: not archived unless asked, past the cursor's
 * position, one row more than the limit (to learn whether another page exists).
 */
export function keysetPageArgs(options: ListOptions, scope: string) {
  const after = options.page === undefined ? undefined : decodeCursor(scope, options.page);
  return {
    where: {
      ...(options.includeArchived ? {} : NOT_ARCHIVED),
      ...(after === undefined ? {} : keysetPast(after, "desc")),
    },
    orderBy: keysetOrder("desc"),
    take: options.limit + 1,
  };
}

/** Takes one row more than asked to learn whether another page exists. */
export function pageOf<Row extends KeysetPosition>(rows: Row[], limit: number, scope: string): KeysetPage<Row> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextPage: rows.length > limit && last ? encodeCursor(scope, last) : null };
}
