import { describe, expect, it } from "vitest";
import type { PreparedQuery, RememberedRowsCoherence } from "@/lib/open-database";
import { BOUNDARY_LOOKUP_CHANNEL, createBoundaryLookup, type BoundaryRow } from "@/lib/boundary/lookup";
import { boundaryRow } from "@/lib/boundary/boundary-row.fixture";

function row(sessionId: string): BoundaryRow {
  return boundaryRow({ session_id: sessionId });
}

/** A database whose rows the test sets, counting reads; `beforeAnswer` runs while a read is under way. */
function fakeDatabase(withNotices: boolean) {
  const rows = new Map<string, BoundaryRow>();
  let reads = 0;
  let beforeAnswer: (() => void) | null = null;
  const listeners = new Map<string, () => void>();
  let failNext: Error | null = null;
  // The rows as they are when the read begins (its snapshot), answered a moment later.
  const preparedQuery = (async (_statement, values) => {
    reads++;
    const failure = failNext;
    failNext = null;
    const snapshot = new Map(rows);
    await Promise.resolve();
    beforeAnswer?.();
    if (failure) throw failure;
    const found = snapshot.get(values[0] ?? "");
    return found ? [found] : [];
  }) as PreparedQuery;
  let trusted = true;
  const rememberedRows: RememberedRowsCoherence = {
    watch: async (channel, onChange) => {
      listeners.set(channel, onChange);
    },
    trustedForMs: () => (trusted ? Number.POSITIVE_INFINITY : 0),
  };
  return {
    database: { preparedQuery, rememberedRows: withNotices ? rememberedRows : null },
    /** What PostgreSQL's change barrier says while this process's lease is not heard (lib/change-barrier.ts). */
    trust: (value: boolean) => {
      trusted = value;
    },
    rows,
    reads: () => reads,
    failNextRead: (error: Error) => {
      failNext = error;
    },
    /** What a committed write to a table the lookup reads does: the trigger's notice. */
    notice: () => listeners.get(BOUNDARY_LOOKUP_CHANNEL)?.(),
    duringNextRead: (action: () => void) => {
      beforeAnswer = () => {
        beforeAnswer = null;
        action();
      };
    },
  };
}

describe("createBoundaryLookup", () => {
  it("without change notices (PostgreSQL), reads the database on every request", async () => {
    const fake = fakeDatabase(false);
    fake.rows.set("aa", row("sesn_1"));
    const lookup = await createBoundaryLookup(fake.database);
    expect((await lookup("aa"))?.session_id).toBe("sesn_1");
    expect((await lookup("aa"))?.session_id).toBe("sesn_1");
    expect(fake.reads()).toBe(2);
  });

  it("without change notices, calls for a placeholder that arrive during its read share the next one, which begins after them", async () => {
    const fake = fakeDatabase(false);
    fake.rows.set("aa", row("sesn_1"));
    fake.rows.set("bb", row("sesn_2"));
    const lookup = await createBoundaryLookup(fake.database);
    const first = lookup("aa");
    // Revoked while the first read is under way: a call from now on must see it, the first need not.
    fake.rows.set("aa", { ...row("sesn_1"), revoked: true });
    const [again, againToo, other, unknown] = [lookup("aa"), lookup("aa"), lookup("bb"), lookup("cc")];
    expect((await first)?.revoked).toBe(false);
    expect((await again)?.revoked).toBe(true);
    expect((await againToo)?.revoked).toBe(true);
    expect((await other)?.session_id).toBe("sesn_2");
    expect(await unknown).toBeUndefined();
    // aa twice (the second read shared by the two calls that came during the first), bb and cc once each.
    expect(fake.reads()).toBe(4);
  });

  it("without change notices, a failed read fails its own calls only: those that came meanwhile get the next read", async () => {
    const fake = fakeDatabase(false);
    fake.rows.set("aa", row("sesn_1"));
    const lookup = await createBoundaryLookup(fake.database);
    fake.failNextRead(new Error("connection lost"));
    const [first, second] = [lookup("aa"), lookup("aa")];
    await expect(first).rejects.toThrow("connection lost");
    expect((await second)?.session_id).toBe("sesn_1");
    expect((await lookup("aa"))?.session_id).toBe("sesn_1");
    expect(fake.reads()).toBe(3);
  });

  it("with change notices (embedded), answers from memory until a notice, then reads the change", async () => {
    const fake = fakeDatabase(true);
    fake.rows.set("hash", row("sesn_1"));
    const lookup = await createBoundaryLookup(fake.database);
    expect((await lookup("hash"))?.session_id).toBe("sesn_1");
    expect((await lookup("hash"))?.session_id).toBe("sesn_1");
    expect(fake.reads()).toBe(1);

    fake.rows.set("hash", { ...row("sesn_1"), revoked: true });
    fake.notice();
    expect((await lookup("hash"))?.revoked).toBe(true);
    expect(fake.reads()).toBe(2);
  });

  it("does not keep a row read while a change was noticed: it may predate the change", async () => {
    const fake = fakeDatabase(true);
    fake.rows.set("hash", row("sesn_1"));
    const lookup = await createBoundaryLookup(fake.database);
    fake.duringNextRead(() => fake.notice());
    await lookup("hash");
    await lookup("hash");
    expect(fake.reads()).toBe(2);
  });

  it("does not remember placeholders that were never issued", async () => {
    const fake = fakeDatabase(true);
    const lookup = await createBoundaryLookup(fake.database);
    expect(await lookup("unknown")).toBeUndefined();
    fake.rows.set("unknown", row("sesn_2"));
    expect((await lookup("unknown"))?.session_id).toBe("sesn_2");
  });

  it("while the database's coherence does not trust this process (PostgreSQL, lease not heard), reads every call and keeps nothing", async () => {
    const fake = fakeDatabase(true);
    fake.rows.set("hash", row("sesn_1"));
    const lookup = await createBoundaryLookup(fake.database);
    await lookup("hash");
    fake.trust(false);
    fake.rows.set("hash", { ...row("sesn_1"), revoked: true });
    expect((await lookup("hash"))?.revoked).toBe(true);
    expect((await lookup("hash"))?.revoked).toBe(true);
    expect(fake.reads()).toBe(3);
    // Trusted again only after a notice that drops what was remembered before (lib/change-barrier.ts).
    fake.trust(true);
    fake.notice();
    expect((await lookup("hash"))?.revoked).toBe(true);
    expect((await lookup("hash"))?.revoked).toBe(true);
    expect(fake.reads()).toBe(4);
  });
});
