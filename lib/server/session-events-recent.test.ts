import { describe, expect, it } from "vitest";
import type { StoredSessionEvent } from "@/lib/server/record-events";
import { noticePayload, parseNotice, recalledEvents, rememberRecorded } from "@/lib/server/session-events-recent";

function event(seq: bigint, type = "agent.message"): StoredSessionEvent {
  const at = new Date();
  return { id: `sevt_${seq}`, seq, sessionId: "sesn_a", type, payload: {}, processedAt: at, runId: null, createdAt: at };
}

describe("recent session events", () => {
  it("names a commit's seqs in its notice, and reads them back", () => {
    const payload = noticePayload("sesn_a", [event(41n, "user.message"), event(43n)]);
    expect(payload).toBe("sesn_a 41,43");
    expect(parseNotice(payload)).toEqual({ sessionId: "sesn_a", seqs: [41n, 43n], outputOnly: false });
  });

  it("says when a commit holds only the agent's output, which no inbox needs to read", () => {
    const payload = noticePayload("sesn_a", [event(50n, "span.model_request_start"), event(51n, "agent.message")]);
    expect(payload).toBe("sesn_a 50,51 output");
    expect(parseNotice(payload)).toEqual({ sessionId: "sesn_a", seqs: [50n, 51n], outputOnly: true });
    for (const type of ["session.status_idle", "session.error", "session.status_running", "user.interrupt"]) {
      expect(parseNotice(noticePayload("sesn_a", [event(52n), event(53n, type)])).outputOnly).toBe(false);
    }
  });

  it("reads a bare session id (a deletion's notice) as naming no seqs, and never as output only", () => {
    expect(parseNotice("sesn_a")).toEqual({ sessionId: "sesn_a", seqs: null, outputOnly: false });
    expect(parseNotice("sesn_a x,1")).toEqual({ sessionId: "sesn_a", seqs: null, outputOnly: false });
    expect(parseNotice("sesn_a x,1 output").outputOnly).toBe(false);
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
