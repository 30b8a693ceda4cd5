import { describe, expect, it } from "vitest";
import { ConsoleError } from "@/lib/errors";
import { decodeCursor, encodeCursor, listOptions, listQuerySchema, type KeysetPosition } from "@/lib/validation/pagination";

const AT = new Date("2026-11-27T12:34:56.789Z");
const at = (seq: bigint, createdAt: Date = AT): KeysetPosition => ({ createdAt, seq });

function cursorOf(payload: string): string {
  return `page_${Buffer.from(payload, "utf8").toString("base64url")}`;
}

function decodeError(scope: string, cursor: string): ConsoleError {
  try {
    decodeCursor(scope, cursor);
  } catch (error) {
    expect(error).toBeInstanceOf(ConsoleError);
    return error as ConsoleError;
  }
  throw new Error(`expected ${JSON.stringify(cursor)} to be rejected`);
}

describe("encodeCursor / decodeCursor", () => {
  it.each([0n, 1n, 42n, 9_007_199_254_740_993n, 9_223_372_036_854_775_807n])("round-trips position %s", (seq) => {
    expect(decodeCursor("vaults", encodeCursor("vaults", at(seq)))).toEqual(at(seq));
  });

  it("round-trips the creation time to the millisecond", () => {
    const createdAt = new Date("1999-12-31T23:59:59.999Z");
    expect(decodeCursor("vaults", encodeCursor("vaults", at(7n, createdAt)))).toEqual(at(7n, createdAt));
  });

  it("makes an opaque, URL-safe cursor", () => {
    const cursor = encodeCursor("vaults", at(1234n));
    expect(cursor).toMatch(/^page_[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain("1234");
    expect(cursor).not.toContain("vaults");
  });

  it("refuses a cursor from another list", () => {
    const error = decodeError("credentials", encodeCursor("vaults", at(5n)));
    expect(error.type).toBe("invalid_request_error");
    expect(error.field).toBe("page");
    expect(error.message).toMatch(/^page: /);
  });

  it.each([
    ["garbage", "not-a-cursor"],
    ["an empty string", ""],
    ["the bare prefix", "page_"],
    ["base64 garbage", "page_!!!!"],
    ["an empty position", cursorOf("vaults:")],
    ["no position", cursorOf("vaults")],
    ["the old sequence-only form", cursorOf("vaults:12")],
    ["a non-numeric time", cursorOf("vaults:abc:12")],
    ["a non-numeric sequence", cursorOf("vaults:1700000000000:abc")],
    ["a negative sequence", cursorOf("vaults:1700000000000:-1")],
    ["a fractional sequence", cursorOf("vaults:1700000000000:1.5")],
    ["an exponent", cursorOf("vaults:1700000000000:1e3")],
    ["spaces", cursorOf("vaults:1700000000000: 12")],
    ["a sequence of more than 19 digits", cursorOf(`vaults:1700000000000:${"9".repeat(20)}`)],
    ["a time of more than 15 digits", cursorOf(`vaults:${"9".repeat(16)}:12`)],
    ["extra colons", cursorOf("vaults:1700000000000:12:34")],
    ["a trailing colon", cursorOf("vaults:1700000000000:12:")],
    ["an empty scope", cursorOf(":1700000000000:12")],
    ["another prefix", `next_${Buffer.from("vaults:12").toString("base64url")}`],
  ])("refuses %s with an error on the page field", (_label, cursor) => {
    const error = decodeError("vaults", cursor);
    expect(error.type).toBe("invalid_request_error");
    expect(error.field).toBe("page");
  });
});

describe("listQuerySchema", () => {
  it.each([
    ["1", 1],
    ["20", 20],
    ["100", 100],
    ["007", 7],
  ])("accepts limit %j", (limit, expected) => {
    expect(listQuerySchema.parse({ limit }).limit).toBe(expected);
  });

  it.each(["0", "101", "abc", "1.5", "-1", "", " 5", "1e2", "+5"])("rejects limit %j", (limit) => {
    const result = listQuerySchema.safeParse({ limit });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["limit"]);
  });

  it('reads include_archived as a boolean from "true" or "false" only', () => {
    expect(listQuerySchema.parse({ include_archived: "true" }).include_archived).toBe(true);
    expect(listQuerySchema.parse({ include_archived: "false" }).include_archived).toBe(false);
    for (const value of ["1", "yes", "TRUE", "", "0"]) {
      expect(listQuerySchema.safeParse({ include_archived: value }).success).toBe(false);
    }
  });

  it("accepts a page cursor and rejects an empty one", () => {
    expect(listQuerySchema.parse({ page: "page_abc" }).page).toBe("page_abc");
    expect(listQuerySchema.safeParse({ page: "" }).success).toBe(false);
  });

  it("rejects unknown query keys", () => {
    const result = listQuerySchema.safeParse({ limit: "5", offset: "10" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.code).toBe("unrecognized_keys");
  });

  it("fills in the defaults", () => {
    expect(listOptions(listQuerySchema.parse({}))).toEqual({ limit: 20, page: undefined, includeArchived: false });
    expect(listOptions(listQuerySchema.parse({ limit: "50", page: "page_x", include_archived: "true" }))).toEqual({
      limit: 50,
      page: "page_x",
      includeArchived: true,
    });
  });
});

describe("decodeCursor range", () => {
  it("refuses a position past PostgreSQL's bigint, which would otherwise fail inside the query", () => {
    const beyond = `page_${Buffer.from("vaults:1700000000000:9223372036854775808").toString("base64url")}`;
    expect(() => decodeCursor("vaults", beyond)).toThrow(ConsoleError);
    expect(decodeCursor("vaults", encodeCursor("vaults", at(2n ** 63n - 1n)))).toEqual(at(2n ** 63n - 1n));
  });
});
