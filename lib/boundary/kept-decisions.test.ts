import { describe, expect, it } from "vitest";
import type { BoundaryTarget } from "@/lib/boundary/base-url-target";
import { ChangeCount, KeptDecisions, keepTerms } from "@/lib/boundary/kept-decisions";

const SESSION = "sesn_1";
const PLACEHOLDER = "s0rt_placeholder";

function target(token: string, placeholderExpiresAt: number | null = null): BoundaryTarget {
  return { upstreamBase: new URL("https://llm.example/"), token, vaultId: "vlt_1", placeholderExpiresAt };
}

/** Decisions on a clock the test moves: wall time in ms, the monotonic clock in ns. */
function setUp() {
  const clock = { wallMs: 1_000_000, monotonicNs: 5_000_000_000n };
  const changes = new ChangeCount();
  const decisions = new KeptDecisions(changes, { now: () => clock.wallMs, monotonicNs: () => clock.monotonicNs });
  const terms = (trustedForMs = 60_000) => ({ changes: changes.current(), trustedUntilNs: clock.monotonicNs + BigInt(trustedForMs) * 1_000_000n });
  return { clock, changes, decisions, terms };
}

describe("keepTerms", () => {
  it("keeps for the trust left, to the nanosecond on the monotonic clock, and not at all without trust", () => {
    expect(keepTerms(7, 1500, 1_000n)).toEqual({ changes: 7, trustedUntilNs: 1_000n + 1_500_000_000n });
    expect(keepTerms(7, 0.25, 0n)).toEqual({ changes: 7, trustedUntilNs: 250_000n });
    expect(keepTerms(7, 0, 0n)).toBeNull();
    expect(keepTerms(7, -3, 0n)).toBeNull();
  });

  it("caps the embedded database's endless trust at a day", () => {
    expect(keepTerms(0, Number.POSITIVE_INFINITY, 0n)).toEqual({ changes: 0, trustedUntilNs: 24n * 60n * 60n * 1_000_000_000n });
  });
});

describe("KeptDecisions", () => {
  it("reuses a decision for its own session and placeholder only", () => {
    const { decisions, terms } = setUp();
    decisions.keep(SESSION, PLACEHOLDER, target("token-a"), terms());
    expect(decisions.decision(SESSION, PLACEHOLDER)?.token).toBe("token-a");
    expect(decisions.decision("sesn_2", PLACEHOLDER)).toBeUndefined();
    expect(decisions.decision(SESSION, "s0rt_other")).toBeUndefined();
  });

  it("drops every decision once a change is counted, even one counted in another thread through the shared word", () => {
    const { changes, decisions, terms } = setUp();
    decisions.keep(SESSION, PLACEHOLDER, target("token-a"), terms());
    decisions.keep("sesn_2", PLACEHOLDER, target("token-b"), terms());
    // The main thread's view of the same memory, as lib/boundary/door-thread.ts holds it.
    new ChangeCount(changes.buffer).bump();
    expect(decisions.decision(SESSION, PLACEHOLDER)).toBeUndefined();
    expect(decisions.size, "the other session's decision, and its token, went too").toBe(0);
  });

  it("does not keep a decision made before a change that came while it was on its way", () => {
    const { changes, decisions, terms } = setUp();
    const madeUnder = terms();
    changes.bump();
    decisions.keep(SESSION, PLACEHOLDER, target("token-a"), madeUnder);
    expect(decisions.decision(SESSION, PLACEHOLDER)).toBeUndefined();
  });

  it("stops at the end of the trust it was granted (PostgreSQL's change barrier), on the monotonic clock", () => {
    const { clock, decisions, terms } = setUp();
    decisions.keep(SESSION, PLACEHOLDER, target("token-a"), terms(2_000));
    clock.monotonicNs += 1_999_000_000n;
    expect(decisions.decision(SESSION, PLACEHOLDER)?.token).toBe("token-a");
    clock.monotonicNs += 1_000_000n;
    expect(decisions.decision(SESSION, PLACEHOLDER)).toBeUndefined();
  });

  it("stops when the placeholder expires with its runtime key", () => {
    const { clock, decisions, terms } = setUp();
    decisions.keep(SESSION, PLACEHOLDER, target("token-a", clock.wallMs + 10_000), terms());
    clock.wallMs += 9_999;
    expect(decisions.decision(SESSION, PLACEHOLDER)).toBeDefined();
    clock.wallMs += 1;
    expect(decisions.decision(SESSION, PLACEHOLDER)).toBeUndefined();
  });

  it("sweeps out decisions a change made stale and those idle for five minutes, so their tokens leave memory", () => {
    const { clock, changes, decisions, terms } = setUp();
    decisions.keep(SESSION, PLACEHOLDER, target("token-a"), terms(Number.MAX_SAFE_INTEGER));
    clock.wallMs += 4 * 60_000;
    decisions.sweep();
    expect(decisions.decision(SESSION, PLACEHOLDER)?.token).toBe("token-a");
    clock.wallMs += 5 * 60_000 - 1;
    decisions.sweep();
    expect(decisions.decision(SESSION, PLACEHOLDER)?.token, "used a moment ago, so not idle").toBe("token-a");
    clock.wallMs += 5 * 60_000;
    decisions.sweep();
    expect(decisions.decision(SESSION, PLACEHOLDER)).toBeUndefined();

    decisions.keep(SESSION, PLACEHOLDER, target("token-b"), terms());
    expect(decisions.size).toBe(1);
    changes.bump();
    decisions.sweep();
    expect(decisions.size, "stale, though never asked for again").toBe(0);
  });
});
