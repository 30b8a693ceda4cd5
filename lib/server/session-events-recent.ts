// The events this process recorded lately, by seq, so that an open stream in the same process can
// send them the moment their commit is announced instead of reading them back from the database
// (the read was most of the stream's delivery lag on a busy embedded database). An entry is only
// ever used for a seq that a commit notice names (lib/server/session-event-bus.ts): the notice is
// sent inside the recording transaction, so it arrives only if that transaction committed, and a
// rolled-back event, whose seq no notice names, is never sent. Anything missing here (another
// process recorded it, or it aged out) is read from the database as before. No server-only marker:
// recordEvents runs in the custom server's sweep too; the map lives on globalThis so that Next's
// copy of this module and the custom server's share it.
import type { StoredSessionEvent } from "@/lib/server/record-events";

/** Entries kept at most, and for how long: a notice follows its commit within milliseconds. */
const MAX_ENTRIES = 500;
const MAX_AGE_MS = 10_000;

interface Entry {
  event: StoredSessionEvent;
  at: number;
}

const KEY = Symbol.for("console.recentSessionEvents");
type Holder = { [KEY]?: Map<string, Entry> };

function entries(): Map<string, Entry> {
  const holder = globalThis as Holder;
  holder[KEY] ??= new Map();
  return holder[KEY];
}

/** Keeps the events just recorded (committed or not: see the header). */
export function rememberRecorded(events: readonly StoredSessionEvent[]): void {
  const map = entries();
  const now = Date.now();
  for (const event of events) map.set(event.seq.toString(), { event, at: now });
  for (const [seq, entry] of map) {
    if (map.size <= MAX_ENTRIES && now - entry.at <= MAX_AGE_MS) break;
    map.delete(seq);
  }
}

/** The recorded events of these seqs, in the given order; null when any of them is not here. */
export function recalledEvents(seqs: readonly bigint[]): StoredSessionEvent[] | null {
  const map = entries();
  const found: StoredSessionEvent[] = [];
  for (const seq of seqs) {
    const entry = map.get(seq.toString());
    if (!entry) return null;
    found.push(entry.event);
  }
  return found;
}

/** The commit notice's payload: the session id, then the seqs that commit recorded for it. */
export function noticePayload(sessionId: string, events: readonly StoredSessionEvent[]): string {
  return events.length === 0 ? sessionId : `${sessionId} ${events.map((event) => event.seq.toString()).join(",")}`;
}

/** A notice's session and the seqs it names (null: it names none, as a deletion's notice). */
export function parseNotice(payload: string): { sessionId: string; seqs: bigint[] | null } {
  const space = payload.indexOf(" ");
  if (space === -1) return { sessionId: payload, seqs: null };
  const listed = payload.slice(space + 1).split(",");
  const seqs = listed.every((seq) => /^\d+$/.test(seq)) ? listed.map((seq) => BigInt(seq)) : null;
  return { sessionId: payload.slice(0, space), seqs };
}
