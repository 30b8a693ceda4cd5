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

/**
 * `include=console_row`, a console extension on the vault and session lists: each item gains a
 * `console` field with what the admin UI's list row shows (lib/serializers/console-rows.ts).
 */
export const consoleRowIncludeParam = {
  include: z.literal("console_row", { error: 'must be "console_row"' }).optional(),
};

/**
 * `q`, a console extension on the vault, agent and environment lists: the name contains it,
 * case-insensitive (the admin UI's search boxes).
 */
export const nameSearchParam = {
  q: z.string().trim().max(255, "must be at most 255 characters").optional(),
};

const timestampParam = z.iso.datetime({ offset: true, error: "must be an RFC 3339 timestamp" }).transform((value) => new Date(value));

/**
 * `created_at[gte|gt|lte|lt]`, the creation-time bounds of the sessions and agents lists (the
 * official agents list names only gte and lte; gt and lt work there too, as on sessions).
 */
export const createdAtFilterParams = {
  "created_at[gte]": timestampParam.optional(),
  "created_at[gt]": timestampParam.optional(),
  "created_at[lte]": timestampParam.optional(),
  "created_at[lt]": timestampParam.optional(),
};

export interface CreatedAtRange {
  gte?: Date;
  gt?: Date;
  lte?: Date;
  lt?: Date;
}

/** The bounds a list query gave, as a filter on `createdAt`; unset bounds stay undefined (no bound). */
export function createdAtRange(query: { [Key in keyof typeof createdAtFilterParams]?: Date }): CreatedAtRange {
  return { gte: query["created_at[gte]"], gt: query["created_at[gt]"], lte: query["created_at[lte]"], lt: query["created_at[lt]"] };
}

export interface ListOptions {
  limit: number;
  page?: string;
  includeArchived: boolean;
}

export function listOptions(query: ListQuery): ListOptions {
  return { limit: query.limit ?? LIST_LIMIT_DEFAULT, page: query.page, includeArchived: query.include_archived ?? false };
}

/**
 * Lists are ordered newest first by `created_at`, ties broken by the insertion sequence, and a
 * cursor is the keyset position of a page's edge row — so page 1,000 costs what page 1 does. The
 * scope ties a cursor to its list: a vaults cursor is refused by a credentials list.
 */
export interface KeysetPosition {
  createdAt: Date;
  seq: bigint;
}

const BIGINT_MAX = 2n ** 63n - 1n;
const INVALID_CURSOR = "is not a valid page cursor for this list; pass the next_page or prev_page value of a previous response";

export function encodeCursor(scope: string, position: KeysetPosition): string {
  const payload = `${scope}:${position.createdAt.getTime()}:${position.seq.toString()}`;
  return `page_${Buffer.from(payload, "utf8").toString("base64url")}`;
}

/** Reads any cursor this console issued: its scope and keyset position, or null. */
export function readCursor(cursor: string): { scope: string; position: KeysetPosition } | null {
  if (!cursor.startsWith("page_")) return null;
  const decoded = Buffer.from(cursor.slice("page_".length), "base64url").toString("utf8");
  const [scope, millis, sequence, ...rest] = decoded.split(":");
  if (!scope || rest.length > 0 || !millis || !sequence || !/^\d{1,15}$/.test(millis) || !/^\d{1,19}$/.test(sequence)) return null;
  const seq = BigInt(sequence);
  const createdAt = new Date(Number(millis));
  // The sequence is a PostgreSQL bigint; a larger number would fail in the query, not here.
  if (seq > BIGINT_MAX || Number.isNaN(createdAt.getTime())) return null;
  return { scope, position: { createdAt, seq } };
}

export function decodeCursor(scope: string, cursor: string): KeysetPosition {
  const read = readCursor(cursor);
  if (!read || read.scope !== scope) throw invalidField("page", INVALID_CURSOR);
  return read.position;
}

export type PageDirection = "next" | "prev";

/** Cursors of lists that also page backwards (`prev_page`): the direction is part of the scope. */
export function encodeDirectedCursor(scope: string, direction: PageDirection, position: KeysetPosition): string {
  return encodeCursor(`${scope}.${direction}`, position);
}

export function decodeDirectedCursor(scope: string, cursor: string): { direction: PageDirection; position: KeysetPosition } {
  const read = readCursor(cursor);
  if (read?.scope === `${scope}.next`) return { direction: "next", position: read.position };
  if (read?.scope === `${scope}.prev`) return { direction: "prev", position: read.position };
  throw invalidField("page", INVALID_CURSOR);
}
