import { describe, expect, it } from "vitest";
import { formatDateTime, formatRelative } from "@/lib/format";

const NOW = Date.parse("2026-12-02T12:00:00Z");

describe("formatRelative", () => {
  it("says just now within the first 45 seconds either way", () => {
    expect(formatRelative(new Date(NOW - 30_000), NOW)).toBe("just now");
    expect(formatRelative(new Date(NOW + 10_000), NOW)).toBe("just now");
  });

  it("uses the largest whole unit, past and future", () => {
    expect(formatRelative(new Date(NOW - 5 * 60_000), NOW)).toBe("5 min. ago");
    expect(formatRelative(new Date(NOW - 3 * 3600_000), NOW)).toBe("3 hr. ago");
    expect(formatRelative("2026-11-29T12:00:00Z", NOW)).toBe("3 days ago");
    expect(formatRelative(new Date(NOW + 2 * 86_400_000), NOW)).toBe("in 2 days");
    expect(formatRelative("2025-12-01T12:00:00Z", NOW)).toBe("last yr.");
  });

  it("keeps the exact format in UTC", () => {
    expect(formatDateTime("2026-12-02T03:04:00Z")).toBe("02 Dec 2026, 03:04 UTC");
  });
});
