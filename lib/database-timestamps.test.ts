import pg from "pg";
import { describe, expect, it } from "vitest";
import { parseTimestamp, PG_QUERY_TYPES } from "@/lib/database-timestamps";

const postgresDate = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ, "text");
const time = (value: unknown) => (value instanceof Date ? value.getTime() : value);

describe("parseTimestamp", () => {
  it("reads every form PostgreSQL prints as pg's own parser does", () => {
    const printed = [
      "2026-12-04 18:01:24.123+00",
      "2026-12-04 18:01:24.123456+00",
      "2026-12-04 18:01:24-07",
      "2026-12-04 18:01:24+05:30",
      "2026-12-04 18:01:24.5",
      "1969-12-31 23:59:59.999+00",
      "0999-01-01 00:00:00+00",
      "0044-03-15 10:00:00+00",
      "0001-01-01 00:00:00+00 BC",
      "12345-01-01 00:00:00+00",
      "infinity",
      "-infinity",
    ];
    for (const text of printed) expect(time(parseTimestamp(text)), text).toBe(time(postgresDate(text)));
  });

  it("is what pg queries given PG_QUERY_TYPES use for both timestamp types, and pg's own parser for the rest", () => {
    const { getTypeParser } = PG_QUERY_TYPES;
    expect(getTypeParser(pg.types.builtins.TIMESTAMPTZ, "text")).toBe(parseTimestamp);
    expect(getTypeParser(pg.types.builtins.TIMESTAMP, "text")).toBe(parseTimestamp);
    expect(getTypeParser(pg.types.builtins.INT8, "text")).toBe(pg.types.getTypeParser(pg.types.builtins.INT8, "text"));
  });
});
