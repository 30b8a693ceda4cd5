import pg from "pg";

/**
 * The Date constructor as this module found it. In the console's process it loads before Next,
 * which then wraps the global Date to notice a prerender reading the clock: a wrapper a row's
 * timestamps, which are not the clock, paid for on every one of them (a list of 20 vaults has 60).
 */
const NativeDate = Date;

/** pg's own parser (postgres-date), which reads what V8 does not; it builds on the global Date. */
const parseWithPostgresDate = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ, "text");

/**
 * A timestamp as PostgreSQL prints it (DateStyle ISO: `2026-12-04 18:01:24.123+00`, no offset for
 * a timestamp without time zone, read as local time as pg reads it), infinities as numbers. V8
 * reads that form itself, except years before 100 (it takes `0044` for 2044) and BC dates, which
 * are left to pg's parser.
 */
export function parseTimestamp(text: string): Date | number {
  if (text === "infinity") return Infinity;
  if (text === "-infinity") return -Infinity;
  if (text.startsWith("00") || text.endsWith(" BC")) return parseWithPostgresDate(text) as Date | number;
  return new NativeDate(text);
}

/** pg's parsers with the timestamps' replaced, for queries that build their rows with pg (Prisma sets its own). */
export const PG_QUERY_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    (oid === pg.types.builtins.TIMESTAMPTZ || oid === pg.types.builtins.TIMESTAMP) && format !== "binary"
      ? parseTimestamp
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};
