/**
 * Model tokens the boundary has opened, each kept with the exact sealed bytes and master key id it
 * was opened from. The lookup row is still read as before (per request on PostgreSQL, per change
 * notice on the embedded database), and a kept token is used only while that row carries the very
 * same sealed bytes under the same key: a rotation, an archive or a re-wrap changes what is compared
 * here, so this never decides whether a token may be used, it only spares opening it again. Opening
 * (two AES-GCM decryptions) cost about 40 µs of every model call where rows are read per request.
 *
 * A token unused for KEEP_IDLE_MS is forgotten within as long again, so one whose credential was
 * archived does not stay in memory for the life of the process.
 */
const KEEP_IDLE_MS = 5 * 60_000;
/** Credentials kept at most; past it, all are forgotten and opened again as they come. */
const KEEP_MAX = 1_000;

interface Kept {
  keyId: string;
  sealed: Uint8Array;
  token: string;
  usedAt: number;
}

export class OpenedTokens {
  private readonly kept = new Map<string, Kept>();

  constructor(private readonly now: () => number = Date.now) {
    setInterval(() => this.forgetIdle(), KEEP_IDLE_MS).unref();
  }

  /** The token sealed in `sealed` under `keyId`, opened by `open` unless the same bytes were opened before. */
  token(credentialId: string, keyId: string, sealed: Uint8Array, open: () => string): string {
    const now = this.now();
    const kept = this.kept.get(credentialId);
    if (kept && kept.keyId === keyId && Buffer.compare(kept.sealed, sealed) === 0) {
      kept.usedAt = now;
      return kept.token;
    }
    const token = open();
    if (this.kept.size >= KEEP_MAX) this.kept.clear();
    this.kept.set(credentialId, { keyId, sealed: Uint8Array.from(sealed), token, usedAt: now });
    return token;
  }

  /** Drops what was not used for KEEP_IDLE_MS (every KEEP_IDLE_MS, and callable by tests). */
  forgetIdle(): void {
    const now = this.now();
    for (const [credentialId, kept] of this.kept) if (now - kept.usedAt >= KEEP_IDLE_MS) this.kept.delete(credentialId);
  }
}
