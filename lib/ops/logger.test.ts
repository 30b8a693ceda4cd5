import { describe, expect, it, vi } from "vitest";
import { componentLog, isoTimeField, log } from "@/lib/ops/logger";

describe("isoTimeField", () => {
  it("writes what pino's isoTime writes, across seconds, days and a clock set back", () => {
    const start = Date.UTC(2026, 11, 31, 23, 59, 58, 990);
    const times = [start, start + 1, start + 9, start + 10, start + 1_010, start + 2_000, start + 2_011, start - 86_400_000 + 7, start + 5];
    for (const now of times) expect(isoTimeField(now), String(now)).toBe(`,"time":"${new Date(now).toISOString()}"`);
  });
});

describe("componentLog", () => {
  it("writes a part's lines as records of the process's logger, with the part as a field", () => {
    const info = vi.spyOn(log(), "info").mockImplementation(() => undefined);
    const warn = vi.spyOn(log(), "warn").mockImplementation(() => undefined);
    try {
      const runs = componentLog("runs");
      runs.info("2 resting runner(s) ended");
      runs.warn("sweep failed: timeout");
      expect(info).toHaveBeenCalledWith({ component: "runs" }, "2 resting runner(s) ended");
      expect(warn).toHaveBeenCalledWith({ component: "runs" }, "sweep failed: timeout");
    } finally {
      info.mockRestore();
      warn.mockRestore();
    }
  });
});
