import "server-only";
import pg from "pg";
import { settings } from "@/lib/env";
import { changeNotices } from "@/lib/instances";
import { SESSION_EVENTS_CHANNEL } from "@/lib/server/record-events";
import { parseNotice, type SessionNotice } from "@/lib/server/session-events-recent";
import { log } from "@/lib/ops/logger";

/**
 * This process's ear for "session X has new events": recordEvents NOTIFYs SESSION_EVENTS_CHANNEL
 * with the session id (and the seqs it recorded) on commit, and every open stream of that session is woken to read what
 * follows its cursor from the database. A wake carries no event, so a lost or doubled one costs a
 * read, never an event: delivery order and uniqueness come from the cursor alone.
 *
 * The embedded database is one process: its own LISTEN hears every commit (lib/open-database.ts
 * ChangeNotices). On PostgreSQL, commits come from every console process and the runs' routes, so
 * each process keeps one dedicated client LISTENing (not a pooled one, which would be handed out
 * to queries), reconnecting when it drops; after a reconnect every stream is woken, since notices
 * sent meanwhile are lost.
 */

/** Called with what a commit's notice says (seqs null when it names none, or notices may have been lost). */
type Wake = (notice: Pick<SessionNotice, "seqs" | "outputOnly">) => void;

const MAY_HAVE_ANYTHING = { seqs: null, outputOnly: false } as const;

const RECONNECT_FIRST_MS = 500;
const RECONNECT_MAX_MS = 15_000;

const wakers = new Map<string, Set<Wake>>();
let listening: Promise<void> | null = null;

function wake(payload: string): void {
  const notice = parseNotice(payload);
  for (const waker of wakers.get(notice.sessionId) ?? []) waker(notice);
}

function wakeEveryone(): void {
  for (const sessionWakers of wakers.values()) for (const waker of sessionWakers) waker(MAY_HAVE_ANYTHING);
}

/** Connects the dedicated LISTEN client; when it ends later, connects a new one (with backoff). */
async function listenOnPostgres(url: string, channel: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  // Errors end the connection; "end" below reconnects. Without a listener an error would be thrown.
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  client.on("notification", (notice) => {
    if (notice.channel === channel && notice.payload) wake(notice.payload);
  });
  client.once("end", () => reconnect(url, channel, RECONNECT_FIRST_MS));
}

function reconnect(url: string, channel: string, delayMs: number): void {
  const timer = setTimeout(() => {
    listenOnPostgres(url, channel).then(wakeEveryone, (error: unknown) => {
      log().warn({ channel, problem: error instanceof Error ? error.message : String(error) }, "session event stream: LISTEN failed; retrying");
      reconnect(url, channel, Math.min(delayMs * 2, RECONNECT_MAX_MS));
    });
  }, delayMs);
  timer.unref();
}

function startListening(channel: string): Promise<void> {
  const notices = changeNotices();
  if (notices) return notices.listen(channel, wake);
  const url = settings().DATABASE_URL;
  if (!url) throw new Error("The session event bus needs the embedded database's notices or DATABASE_URL");
  return listenOnPostgres(url, channel);
}

/**
 * Calls `onWake` whenever `sessionId` may have new events, from the moment the returned promise
 * resolves (the channel is listened to by then) until the returned function is called.
 */
export async function onSessionEventsNotice(sessionId: string, onWake: Wake): Promise<() => void> {
  listening ??= startListening(SESSION_EVENTS_CHANNEL).catch((error: unknown) => {
    listening = null;
    throw error;
  });
  let sessionWakers = wakers.get(sessionId);
  if (!sessionWakers) wakers.set(sessionId, (sessionWakers = new Set()));
  sessionWakers.add(onWake);
  const stop = () => {
    sessionWakers.delete(onWake);
    if (sessionWakers.size === 0 && wakers.get(sessionId) === sessionWakers) wakers.delete(sessionId);
  };
  try {
    await listening;
  } catch (error) {
    stop();
    throw error;
  }
  return stop;
}
