import { describe, expect, it } from "vitest";
import { ConsoleError } from "@/lib/errors";
import { likeLiteral, pageOf } from "@/lib/server/keyset-pages";
import { decodeCursor, type KeysetPosition } from "@/lib/validation/pagination";

const AT = new Date("2026-11-27T12:34:56.789Z");
const at = (seq: bigint, createdAt: Date = AT): KeysetPosition => ({ createdAt, seq });

describe("pageOf", () => {
  const rows = (count: number) =>
    Array.from({ length: count }, (_, index) => ({
      id: `row${index}`,
      seq: BigInt(100 - index),
      createdAt: new Date(AT.getTime() - index),
    }));

  it("gives no next page when the rows fit", () => {
    expect(pageOf(rows(3), 5, "vaults")).toEqual({ items: rows(3), nextPage: null });
    expect(pageOf(rows(5), 5, "vaults")).toEqual({ items: rows(5), nextPage: null });
    expect(pageOf([], 5, "vaults")).toEqual({ items: [], nextPage: null });
  });

  it("drops the extra row and points the next page after the last item shown", () => {
    const page = pageOf(rows(6), 5, "vaults");
    expect(page.items).toEqual(rows(5));
    expect(page.nextPage).not.toBeNull();
    expect(decodeCursor("vaults", page.nextPage ?? "")).toEqual(at(96n, new Date(AT.getTime() - 4)));
  });

  it("scopes the next page to the list", () => {
    const page = pageOf(rows(2), 1, "vaults");
    expect(() => decodeCursor("credentials", page.nextPage ?? "")).toThrow(ConsoleError);
  });
});

describe("likeLiteral", () => {
  it("escapes LIKE's pattern characters and its escape character, and nothing else", () => {
    expect(likeLiteral("100% off_peak")).toBe("100\\% off\\_peak");
    expect(likeLiteral("C:\\temp")).toBe("C:\\\\temp");
    expect(likeLiteral("plain text, 'quoted' [x]*")).toBe("plain text, 'quoted' [x]*");
  });
});
