// No `server-only` marker: opened by lib/open-database.ts at boot, outside Next.
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";

/**
 * What lets every console process on one PostgreSQL remember the boundary's lookup rows, and still
 * apply a rotation, archive or revocation made in any process from the very next model call.
 *
 * Each process keeps one LISTEN connection. The change triggers NOTIFY on every write to what the
 * lookups read, and a process drops what it remembers when it hears one. Notices reach a listener
 * later than the commit that sent them, so two more things make that strict:
 *
 * - **A lease per remembering process** (table boundary_readers), renewed every half second by a
 *   statement that also NOTIFYs the process itself. A process answers from memory only while it has
 *   heard one of its own renewals sent less than TRUST_MS ago: it has then heard every notice
 *   committed before that renewal, and its lease is live. A process that stops hearing them (a
 *   dropped connection, a pooler that loses notices, a stalled event loop) stops answering from
 *   memory before its lease ends, and stops renewing it soon after.
 * - **A barrier after every commit that changed such rows**: the writing connection hears a NOTICE
 *   from the trigger (only the console's pooled connections ask for it), and before the query that
 *   committed resolves, this process NOTIFYs a barrier and waits until every process with a live
 *   lease has heard it. Notices reach each listener in commit order, so a process that heard the
 *   barrier has already dropped the rows the commit changed. A process that does not answer is
 *   waited for until its lease ends, which it cannot renew without hearing the barrier first.
 *
 * The API call that rotated, archived or revoked thus returns only once no process can answer a
 * model call from what that change made stale. Writes race nothing: barriers started while one is
 * on its way share the next one.
 */
export interface ChangeBarrier {
  /**
   * Connects, listens and takes the lease: after the migrations (the lease has a table), before
   * anything writes. Until then barrier() waits for nothing and nothing is trusted.
   */
  start(): Promise<void>;
  /** Calls `onChange` on every notice of `channel`, and whenever notices may have been missed. */
  watch(channel: string, onChange: () => void): Promise<void>;
  /** How much longer rows remembered now may be answered from memory (see above), unless a change comes first: 0 when not. */
  trustedForMs(): number;
  /** Resolves once every live process has heard of every commit this process made before the call. */
  barrier(): Promise<void>;
  close(): Promise<void>;
}

/** The trigger's NOTICE to the writing connection (boundary_change_barrier migration). */
const CHANGE_NOTICE = "boundary_lookup_changed";
/** What a connection whose writes should hear CHANGE_NOTICE sets as it starts (and keeps through a RESET). */
const ASK_FOR_CHANGE_NOTICES = "-c console.change_barrier=on -c client_min_messages=notice";

/**
 * The pool's connection string with ASK_FOR_CHANGE_NOTICES added to the startup options it (or
 * PGOPTIONS) already gives: pg takes `options` from the connection string over its own config.
 */
export function askingForChangeNotices(url: string): string {
  const asking = new URL(url);
  const given = asking.searchParams.get("options") ?? process.env.PGOPTIONS ?? "";
  asking.searchParams.set("options", `${given} ${ASK_FOR_CHANGE_NOTICES}`.trim());
  return asking.toString();
}

const BARRIER_CHANNEL = "console_change_barrier";

interface ChangeBarrierTiming {
  /** How long a renewal keeps a lease. */
  leaseMs: number;
  renewEveryMs: number;
  /** How long after sending a renewal that came back a process answers from memory: under leaseMs. */
  trustMs: number;
  /** How long a barrier waits in all before it gives up (and says so in the log). */
  barrierTimeoutMs: number;
}

const TIMING: ChangeBarrierTiming = { leaseMs: 2_000, renewEveryMs: 500, trustMs: 1_500, barrierTimeoutMs: 10_000 };
const RECONNECT_FIRST_MS = 200;
const RECONNECT_MAX_MS = 5_000;

const RENEW = `
  WITH lease AS (
    INSERT INTO boundary_readers (id, lease_until) VALUES ($1, clock_timestamp() + $3::int * interval '1 millisecond')
    ON CONFLICT (id) DO UPDATE SET lease_until = EXCLUDED.lease_until
    RETURNING id)
  SELECT pg_notify('${BARRIER_CHANNEL}', $2) FROM lease`;
const PROBE = `SELECT pg_notify('${BARRIER_CHANNEL}', $1)`;
const BARRIER = `
  SELECT pg_notify('${BARRIER_CHANNEL}', $1),
         coalesce((SELECT json_agg(json_build_object('id', id, 'ms', extract(epoch FROM lease_until - clock_timestamp()) * 1000))
                   FROM boundary_readers WHERE lease_until > clock_timestamp()), '[]'::json) AS readers`;
const LEASE_LEFT = `SELECT (extract(epoch FROM lease_until - clock_timestamp()) * 1000)::float8 AS ms FROM boundary_readers WHERE id = $1 AND lease_until > clock_timestamp()`;
const ACK = `SELECT pg_notify('${BARRIER_CHANNEL}', $1)`;
const GIVE_UP_LEASE = `DELETE FROM boundary_readers WHERE id = $1`;
const FORGET_OLD_LEASES = `DELETE FROM boundary_readers WHERE lease_until < clock_timestamp() - interval '1 hour'`;

/** Payloads on BARRIER_CHANNEL: a renewal `r:<reader>:<n>`, a barrier `b:<reader>:<token>`, an ack `a:<reader>:<token>:<acker>`. */
type Message =
  { kind: "r"; reader: string; n: number } | { kind: "b"; reader: string; token: string } | { kind: "a"; reader: string; token: string; acker: string };

function parseMessage(payload: string): Message | null {
  const [kind, reader, third, fourth] = payload.split(":");
  if (!reader || !third) return null;
  if (kind === "r") return { kind, reader, n: Number(third) };
  if (kind === "b") return { kind, reader, token: third };
  if (kind === "a" && fourth) return { kind, reader, token: third, acker: fourth };
  return null;
}

/** The LISTEN connection, one query at a time (pg's own queue of waiting queries is deprecated). */
interface Listener {
  raw: pg.Client;
  query<Row extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<Row>>;
}

function serialListener(raw: pg.Client): Listener {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    raw,
    query<Row extends pg.QueryResultRow>(text: string, values?: unknown[]) {
      const result = tail.then(() => raw.query<Row>(text, values));
      tail = result.catch(() => undefined);
      return result;
    },
  };
}

interface WaitingBarrier {
  acked: Set<string>;
  onAck: () => void;
}

export function createChangeBarrier(url: string, log: (problem: string) => void): ChangeBarrier {
  const timing = TIMING;
  /**
   * This process's name in the leases, new with each connection: a barrier sent while the last one
   * was down was never heard on it, so its lease must simply end (it is no longer renewed), while the
   * new one, renewed only once listening, hears every barrier sent after it appears.
   */
  let readerId = randomUUID();
  const watchers = new Map<string, Set<() => void>>();
  const waiting = new Map<string, WaitingBarrier>();
  /** Renewals on their way: number → when sent, and whether it renewed the lease (a probe does not). */
  const renewals = new Map<number, { sentAt: number; renewed: boolean }>();
  let renewalCount = 0;
  let trustedUntil = 0;
  /** Until when renewing is worth it: set by each renewal heard; past it, only probes are sent. */
  let renewingUntil = Number.POSITIVE_INFINITY;
  let client: Listener | null = null;
  /** Changes whenever the connection does: a barrier whose connection went waits on the next. */
  let connection = 0;
  let started = false;
  let closed = false;
  let renewing = false;
  let renewTimer: NodeJS.Timeout | null = null;

  const doubt = () => {
    for (const onChanges of watchers.values()) for (const onChange of onChanges) onChange();
  };

  const loseTrust = () => {
    if (trustedUntil === 0) return;
    trustedUntil = 0;
    doubt();
  };

  const heardRenewal = (n: number) => {
    const renewal = renewals.get(n);
    if (!renewal) return;
    // Every earlier renewal is answered by this one too.
    for (const key of renewals.keys()) if (key <= n) renewals.delete(key);
    const now = performance.now();
    renewingUntil = now + timing.leaseMs;
    if (!renewal.renewed) return;
    // A gap in trust may have let a notice pass unheard for a read on its way: those reads are doubted.
    if (now >= trustedUntil) doubt();
    trustedUntil = Math.max(trustedUntil, renewal.sentAt + timing.trustMs);
  };

  const onMessage = (message: Message, from: Listener) => {
    if (message.kind === "r") {
      if (message.reader === readerId) heardRenewal(message.n);
    } else if (message.kind === "b") {
      if (message.reader === readerId) {
        waiting.get(message.token)?.acked.add(readerId);
        waiting.get(message.token)?.onAck();
      } else {
        // Every notice committed before the barrier has been heard (and acted on) by now.
        from.query(ACK, [`a:${message.reader}:${message.token}:${readerId}`]).catch((error: unknown) => log(`change barrier: ack failed: ${describe(error)}`));
      }
    } else if (message.reader === readerId) {
      const barrier = waiting.get(message.token);
      barrier?.acked.add(message.acker);
      barrier?.onAck();
    }
  };

  const connect = async (): Promise<Listener> => {
    const raw = new pg.Client({ connectionString: url, application_name: "console change barrier" });
    const next = serialListener(raw);
    // Errors end the connection; "end" below reconnects. Without a listener an error would be thrown.
    raw.on("error", () => undefined);
    raw.on("notification", (notice) => {
      if (notice.channel === BARRIER_CHANNEL) {
        const message = parseMessage(notice.payload ?? "");
        if (message) onMessage(message, next);
        return;
      }
      for (const onChange of watchers.get(notice.channel) ?? []) onChange();
    });
    try {
      await raw.connect();
      await next.query(`LISTEN ${BARRIER_CHANNEL}`);
      for (const channel of watchers.keys()) await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      await raw.end().catch(() => undefined);
      throw error;
    }
    const lapsed = readerId;
    readerId = randomUUID();
    renewals.clear();
    client = next;
    connection++;
    renewingUntil = Number.POSITIVE_INFINITY;
    if (connection > 1) next.query(GIVE_UP_LEASE, [lapsed]).catch(() => undefined);
    raw.once("end", () => {
      client = null;
      connection++;
      loseTrust();
      for (const barrier of waiting.values()) barrier.onAck();
      if (!closed) reconnect(RECONNECT_FIRST_MS);
    });
    return next;
  };

  const reconnect = (delayMs: number) => {
    const timer = setTimeout(() => {
      connect().catch((error: unknown) => {
        log(`change barrier: LISTEN failed (${describe(error)}); retrying`);
        reconnect(Math.min(delayMs * 2, RECONNECT_MAX_MS));
      });
    }, delayMs);
    timer.unref();
  };

  const renew = async () => {
    const current = client;
    if (!current || renewing || closed) return;
    renewing = true;
    const n = ++renewalCount;
    const sentAt = performance.now();
    // Renew only while renewals are heard: a process that hears nothing must let its lease lapse,
    // or every barrier would wait for it to the end of its lease, renewal after renewal.
    const renewed = sentAt < renewingUntil;
    renewals.set(n, { sentAt, renewed });
    try {
      if (renewed) await current.query(RENEW, [readerId, `r:${readerId}:${n}`, timing.leaseMs]);
      else await current.query(PROBE, [`r:${readerId}:${n}`]);
    } catch (error) {
      renewals.delete(n);
      log(`change barrier: lease renewal failed: ${describe(error)}`);
    } finally {
      renewing = false;
    }
  };

  /** Waits for every reader with a live lease to hear one barrier sent now; false if the connection went. */
  const sendBarrier = async (deadline: number): Promise<boolean> => {
    const current = client;
    const started = connection;
    if (!current) return false;
    const token = randomUUID();
    let wake: () => void = () => undefined;
    const barrier: WaitingBarrier = { acked: new Set(), onAck: () => wake() };
    waiting.set(token, barrier);
    try {
      const result = await current.query<{ readers: Array<{ id: string; ms: number }> }>(BARRIER, [`b:${readerId}:${token}`]);
      const leaseEnds = new Map<string, number>();
      const now = performance.now();
      for (const reader of result.rows[0]?.readers ?? []) leaseEnds.set(reader.id, now + reader.ms);
      for (;;) {
        if (connection !== started) return false;
        for (const id of barrier.acked) leaseEnds.delete(id);
        if (leaseEnds.size === 0) return true;
        const at = performance.now();
        if (at >= deadline) {
          log(`change barrier: ${leaseEnds.size} process(es) did not hear a change in ${timing.barrierTimeoutMs} ms; going on`);
          return true;
        }
        // A lease that ended may have been renewed: it counts only if its reader heard the barrier first.
        for (const [id, endsAt] of leaseEnds) {
          if (endsAt > at) continue;
          const left = await current.query<{ ms: number }>(LEASE_LEFT, [id]);
          const ms = left.rows[0]?.ms;
          if (ms === undefined) leaseEnds.delete(id);
          else leaseEnds.set(id, performance.now() + ms);
        }
        if (leaseEnds.size === 0 || [...leaseEnds.keys()].every((id) => barrier.acked.has(id))) continue;
        const soonest = Math.min(deadline, ...leaseEnds.values());
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.max(0, soonest - performance.now()));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    } catch (error) {
      log(`change barrier: barrier failed: ${describe(error)}`);
      return false;
    } finally {
      waiting.delete(token);
    }
  };

  const runBarrier = async (): Promise<void> => {
    const deadline = performance.now() + timing.barrierTimeoutMs;
    while (!closed) {
      if (await sendBarrier(deadline)) return;
      if (performance.now() >= deadline) {
        log(`change barrier: no connection to send a barrier for ${timing.barrierTimeoutMs} ms; going on`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_FIRST_MS));
    }
  };

  // One barrier at a time: a call made while one is on its way may have committed after that one
  // was sent, so it waits for the next, which every call made meanwhile shares.
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  const start = (): Promise<void> => {
    const run: Promise<void> = runBarrier().finally(() => {
      if (running === run) running = null;
    });
    running = run;
    return run;
  };

  return {
    async start() {
      if (started) return;
      started = true;
      await (await connect()).query(FORGET_OLD_LEASES);
      await renew();
      renewTimer = setInterval(() => void renew(), timing.renewEveryMs);
      renewTimer.unref();
    },
    async watch(channel, onChange) {
      let onChanges = watchers.get(channel);
      if (!onChanges) {
        watchers.set(channel, (onChanges = new Set()));
        await client?.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      }
      onChanges.add(onChange);
    },
    trustedForMs: () => Math.max(0, trustedUntil - performance.now()),
    barrier() {
      if (!started) return Promise.resolve();
      if (queued) return queued;
      if (!running) return start();
      const next = running.then(() => {
        queued = null;
        return start();
      });
      queued = next;
      return next;
    },
    async close() {
      closed = true;
      if (renewTimer) clearInterval(renewTimer);
      loseTrust();
      const current = client;
      if (!current) return;
      await current.query(GIVE_UP_LEASE, [readerId]).catch((error: unknown) => log(`change barrier: could not give up the lease: ${describe(error)}`));
      await current.raw.end().catch(() => undefined);
    },
  };
}

/**
 * The pool's connections (lib/open-database.ts), opened with askingForChangeNotices: a query that leaves its connection outside a transaction after one was heard (an autocommit write,
 * a COMMIT) resolves only after `barrier()`. Queries are passed on as given, callback or promise
 * (pg's pool uses the callback form, Prisma's adapter the promise form).
 */
export function barrierAwareClient(barrier: () => Promise<void>): new (config?: string | pg.ClientConfig) => pg.Client {
  return class BarrierAwareClient extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super(config);
      // A statement's trigger said it changed boundary rows: a barrier is owed once the connection
      // is outside a transaction again (its commit, or the autocommit statement itself, is done).
      let changed = false;
      let idle = true;
      this.on("notice", (notice) => {
        if (notice.message === CHANGE_NOTICE) changed = true;
      });
      // Attached before the client's own listener (it attaches on connect), so the status is known
      // when the query's callback runs.
      (this.connection as unknown as NodeJS.EventEmitter).on("readyForQuery", (message: { status?: string }) => {
        idle = message.status === "I";
      });
      const settle = (): Promise<void> | null => {
        if (!idle || !changed) return null;
        changed = false;
        return barrier();
      };
      const plainQuery = this.query.bind(this) as (...args: unknown[]) => unknown;
      const query = (...args: unknown[]): unknown => {
        const callback = args.at(-1);
        if (typeof callback === "function") {
          args[args.length - 1] = (error: unknown, result: unknown) => {
            const waiting = settle();
            if (waiting) void waiting.then(() => callback(error, result));
            else callback(error, result);
          };
          return plainQuery(...args);
        }
        const returned = plainQuery(...args);
        if (!(returned instanceof Promise)) return returned;
        return returned.then(
          async (result: unknown) => {
            await settle();
            return result;
          },
          async (error: unknown) => {
            await settle();
            throw error;
          },
        );
      };
      (this as unknown as { query: typeof query }).query = query;
    }
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
