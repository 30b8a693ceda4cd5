import type { BoundaryTarget } from "@/lib/boundary/base-url-target";

/**
 * The door thread's memory of what its requests resolved to (lib/boundary/door-thread.ts), so that
 * a runtime's calls after its first do not wait on the main thread. A decision is reused only while
 * it would still be the main thread's own answer:
 *
 * - no boundary change has been heard since the main thread began to decide it. The main thread
 *   counts changes in a shared word (`ChangeCount`), bumped in the same call that clears its own
 *   remembered rows, so before the commit that caused it returns (lib/boundary/lookup.ts);
 * - the main thread's trust in its remembered rows had not run out (PostgreSQL's change barrier
 *   grants it for a while at a time), on the one monotonic clock both threads read;
 * - the placeholder has not expired with its runtime key.
 *
 * Only decisions to forward are kept: a refusal is asked for again, so it always says what is wrong
 * now. A decision unused for KEEP_IDLE_MS is forgotten within as long again, with its token.
 */
const KEEP_IDLE_MS = 5 * 60_000;
/** Decisions kept at most; past it, all are forgotten and asked for again as they come. */
const KEEP_MAX = 10_000;

/** NUL cannot be in a session id or a placeholder that resolved, so no two pairs share a key. */
function keyOf(sessionId: string, placeholder: string): string {
  return `${sessionId}\u0000${placeholder}`;
}

/** A count of boundary changes in memory both threads share; only the main thread bumps it. */
export class ChangeCount {
  private readonly word: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)) {
    this.word = new Int32Array(buffer);
  }

  current(): number {
    return Atomics.load(this.word, 0);
  }

  bump(): void {
    Atomics.add(this.word, 0, 1);
  }
}

/** How long a decision may be reused, as the main thread said with it. */
export interface KeepTerms {
  /** The change count read before the decision was made. */
  changes: number;
  /** Until when (process.hrtime.bigint()) the rows it came from were trusted. */
  trustedUntilNs: bigint;
}

/**
 * The longest a decision may be reused under trust without an end (the embedded database's
 * Infinity, which a bigint cannot hold). A change still ends it at once; idle ones go sooner.
 */
const MAX_KEEP_MS = 24 * 60 * 60_000;

/**
 * The terms for a decision made now, from the change count read before making it and the trust
 * the rows it came from have left (RememberedRowsCoherence.trustedForMs); null: not to be kept.
 */
export function keepTerms(changes: number, trustedForMs: number, nowNs: bigint = process.hrtime.bigint()): KeepTerms | null {
  const keepMs = Math.min(trustedForMs, MAX_KEEP_MS);
  if (!(keepMs > 0)) return null;
  return { changes, trustedUntilNs: nowNs + BigInt(Math.floor(keepMs * 1e6)) };
}

interface Kept {
  target: BoundaryTarget;
  terms: KeepTerms;
  usedAt: number;
}

export class KeptDecisions {
  private readonly kept = new Map<string, Kept>();

  constructor(
    private readonly changes: ChangeCount,
    private readonly clock: { now: () => number; monotonicNs: () => bigint } = { now: Date.now, monotonicNs: process.hrtime.bigint },
  ) {}

  /** The decision kept for this session and placeholder, if it still holds. */
  decision(sessionId: string, placeholder: string): BoundaryTarget | undefined {
    const key = keyOf(sessionId, placeholder);
    const kept = this.kept.get(key);
    if (!kept) return undefined;
    // A change ends every decision made before it: all go at once, their tokens with them.
    if (kept.terms.changes !== this.changes.current()) {
      this.kept.clear();
      return undefined;
    }
    const now = this.clock.now();
    const { target, terms } = kept;
    if (this.clock.monotonicNs() >= terms.trustedUntilNs || (target.placeholderExpiresAt !== null && now >= target.placeholderExpiresAt)) {
      this.kept.delete(key);
      return undefined;
    }
    kept.usedAt = now;
    return target;
  }

  keep(sessionId: string, placeholder: string, target: BoundaryTarget, terms: KeepTerms): void {
    if (terms.changes !== this.changes.current()) return;
    if (this.kept.size >= KEEP_MAX) this.kept.clear();
    this.kept.set(keyOf(sessionId, placeholder), { target, terms, usedAt: this.clock.now() });
  }

  /** How many decisions are held (tokens among them). */
  get size(): number {
    return this.kept.size;
  }

  /** Forgets every decision a change has made stale and every one unused for KEEP_IDLE_MS. */
  sweep(): void {
    const now = this.clock.now();
    const changes = this.changes.current();
    for (const [key, kept] of this.kept) {
      if (kept.terms.changes !== changes || now - kept.usedAt >= KEEP_IDLE_MS) this.kept.delete(key);
    }
  }

  /** Sweeps every KEEP_IDLE_MS for as long as the thread runs. */
  sweepPeriodically(): void {
    setInterval(() => this.sweep(), KEEP_IDLE_MS).unref();
  }
}
