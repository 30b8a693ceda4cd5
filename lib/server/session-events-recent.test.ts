import { describe, expect, it } from "vitest";
import type { StoredSessionEvent } from "@/lib/server/record-events";
import { noticePayload, parseNotice, recalledEvents, rememberRecorded } from "@/lib/server/session-events-recent";

function event(seq: bigint): StoredSessionEvent {
  const at = new Date();
  return { id: `sevt_${seq}`, seq, sessionId: "sesn_a", type: "agent.message", payload: {}, processedAt: at, runId: null, createdAt: at };
}

describe("recent session events", () => {
  it("names a commit's seqs in its notice, and reads them back", () => {
    const payload = noticePayload("sesn_a", [event(41n), event(43n)]);
    expect(payload).toBe("sesn_a 41,43");
    expect(parseNotice(payload)).toEqual({ sessionId: "sesn_a", seqs: [41n, 43n] });
  });

  it("reads a bare session id (a deletion's notice) as naming no seqs", () => {
    expect(parseNotice("sesn_a")).toEqual({ sessionId: "sesn_a", seqs: null });
    expect(parseNotice("sesn_a x,1").seqs).toBeNull();
  });

  it("recalls only when every named event is here, in the named order", () => {
    rememberRecorded([event(1001n), event(1002n)]);
    expect(recalledEvents([1002n, 1001n])?.map((recalled) => recalled.seq)).toEqual([1002n, 1001n]);
    expect(recalledEvents([1001n, 1003n])).toBeNull();
  });

  it("forgets the oldest beyond its bound", () => {
    rememberRecorded([event(2000n)]);
    rememberRecorded(Array.from({ length: 600 }, (_, index) => event(3000n + BigInt(index))));
    expect(recalledEvents([2000n])).toBeNull();
    expect(recalledEvents([3599n])).not.toBeNull();
  });
});
