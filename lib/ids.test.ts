import { describe, expect, it } from "vitest";
import { isResourceId, newId, randomBase62, type IdPrefix } from "@/lib/ids";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const PREFIXES: IdPrefix[] = ["vlt", "vcrd", "sesn", "agent", "env", "req", "key", "aud", "usr"];

describe("newId", () => {
  it.each(PREFIXES)("makes %s_ ids of 24 base62 characters", (prefix) => {
    const id = newId(prefix);
    expect(id.startsWith(`${prefix}_`)).toBe(true);
    expect(id.slice(prefix.length + 1)).toMatch(/^[0-9A-Za-z]{24}$/);
  });

  it("does not collide across 10,000 ids", () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newId("vlt")));
    expect(ids.size).toBe(10_000);
  });
});

describe("randomBase62", () => {
  it.each([0, 1, 7, 24, 100])("returns exactly %i characters", (length) => {
    expect(randomBase62(length)).toHaveLength(length);
  });

  it("uses only base62 characters", () => {
    expect(randomBase62(5000)).toMatch(/^[0-9A-Za-z]+$/);
  });

  it("uses every base62 character, with no character far from its fair share", () => {
    const sampleSize = 62 * 2000;
    const counts = new Map<string, number>();
    for (const character of randomBase62(sampleSize)) counts.set(character, (counts.get(character) ?? 0) + 1);

    expect([...counts.keys()].sort()).toEqual([...BASE62].sort());
    // Each character expects 2000 hits (σ ≈ 44); a modulo bias toward the first characters would
    // show up as ~25% more hits, far outside these bounds.
    for (const character of BASE62) {
      expect(counts.get(character)).toBeGreaterThan(1700);
      expect(counts.get(character)).toBeLessThan(2300);
    }
  });
});

describe("isResourceId", () => {
  it("accepts every id the console makes, and refuses what could not be one", () => {
    for (const prefix of PREFIXES) expect(isResourceId(newId(prefix))).toBe(true);
    for (const segment of ["", "x".repeat(129), "vlt_1/..", "vlt 1", "vlt_1%00", "../etc"]) expect(isResourceId(segment), segment).toBe(false);
  });
});
