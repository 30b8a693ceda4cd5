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

/**
 * The last word of a notice whose commit recorded only the agent's output (agent.*, span.*): such a
 * commit gives no run's inbox anything to take and ends no run, so an inbox's long poll sleeps on.
 */
const OUTPUT_ONLY = "output";

function isAgentOutput(event: StoredSessionEvent): boolean {
  return event.type.startsWith("agent.") || event.type.startsWith("span.");
}

/** The commit notice's payload: the session id, the seqs that commit recorded for it, and OUTPUT_ONLY when it fits. */
export function noticePayload(sessionId: string, events: readonly StoredSessionEvent[]): string {
  if (events.length === 0) return sessionId;
  const seqs = events.map((event) => event.seq.toString()).join(",");
  return events.every(isAgentOutput) ? `${sessionId} ${seqs} ${OUTPUT_ONLY}` : `${sessionId} ${seqs}`;
}

/** What a notice says: its session, the seqs it names, and whether they are only the agent's output. */
export interface SessionNotice {
  sessionId: string;
  /** Null when it names none (a deletion's notice) or names them in a shape not understood. */
  seqs: bigint[] | null;
  outputOnly: boolean;
}

export function parseNotice(payload: string): SessionNotice {
  const [sessionId = "", listed, flag] = payload.split(" ");
  const named = listed?.split(",");
  const seqs = named?.every((seq) => /^\d+$/.test(seq)) ? named.map((seq) => BigInt(seq)) : null;
  return { sessionId, seqs, outputOnly: seqs !== null && flag === OUTPUT_ONLY };
}
