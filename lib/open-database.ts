import { mkdir, open, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { PGlite, types, type Results } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { askingForChangeNotices, barrierAwareClient, createChangeBarrier } from "@/lib/change-barrier";
import { parseTimestamp, PG_QUERY_TYPES } from "@/lib/database-timestamps";
import { startMaintenance, type DatabaseMaintenance, type MaintenanceDeps, type TableActivity } from "@/lib/db-maintenance";
import { ConfigError, type ConsoleEnv } from "@/lib/env";
import { componentLog, log } from "@/lib/ops/logger";

export type DatabaseKind = "pglite" | "postgresql";

/** A statement named once: PostgreSQL parses and plans it once per connection instead of per call. */
export interface PreparedStatement {
  name: string;
  text: string;
  /**
   * On the embedded database, run with the plan made once for any values (pglitePreparedQuery):
   * PostgreSQL keeps planning a `LIMIT $1` statement anew on every call, its generic plan costed
   * for an unknown, larger limit, and on PGlite that planning shares the one thread with every
   * request. Only for a statement whose plans are all the same index walk (list-plans.test.ts
   * holds the vault list to it). PostgreSQL plans in its own processes and keeps choosing.
   */
  genericPlan?: boolean;
}

/**
 * A read that bypasses Prisma, for the one query on the path of every model call (the credential
 * boundary's lookup), where Prisma's per-query work and the server's re-planning were most of the
 * time the console added. Parameters are text; rows come back as the driver parses them (bytea as
 * bytes, jsonb parsed, booleans as booleans).
 */
export type PreparedQuery = <Row>(statement: PreparedStatement, values: readonly string[]) => Promise<Row[]>;

/**
 * Notices the database sends when rows change (see the boundary_change_notices migration), for
 * what a process may remember of them. Only the embedded database has them: it has one process,
 * and a notice arrives before the commit that caused it returns, so nothing remembered outlives a
 * change. PostgreSQL's notices reach other processes later than their commits, so there is none.
 */
export interface ChangeNotices {
  /** `onNotice` gets the notice's payload (the session events channel carries the session id). */
  listen(channel: string, onNotice: (payload: string) => void): Promise<void>;
}

/**
 * When the boundary's lookups may answer from what they remember (lib/boundary/lookup.ts). On the
 * embedded database always: its notices arrive before the commit that caused them returns. On
 * PostgreSQL while this process holds a live lease of the change barrier (lib/change-barrier.ts).
 */
export interface RememberedRowsCoherence {
  /** Calls `onChange` on every notice of `channel`, and whenever notices may have been missed. */
  watch(channel: string, onChange: () => void): Promise<void>;
  /** How much longer remembered rows stay trustworthy unless a change says otherwise: 0 when not at all, Infinity on the embedded database. */
  trustedForMs(): number;
}

export interface Database {
  kind: DatabaseKind;
  prisma: PrismaClient;
  preparedQuery: PreparedQuery;
  changeNotices: ChangeNotices | null;
  rememberedRows: RememberedRowsCoherence;
  /** Starts PostgreSQL's change barrier (lib/change-barrier.ts), once the migrations are applied; null on PGlite. */
  startChangeBarrier: (() => Promise<void>) | null;
  /** What the migration engine connects through (a separate factory, never closed by it). */
  adapterFactory: SqlDriverAdapterFactory;
  /** Where the data lives, for messages: a directory, or the URL without its password. */
  location: string;
  /** The connection pool's use (metrics); null for PGlite, which is one connection in this process. */
  poolStats: (() => { total: number; idle: number; waiting: number }) | null;
  /**
   * Starts what autovacuum would do (lib/db-maintenance.ts): PGlite only, since PostgreSQL runs its
   * own autovacuum. Null on PostgreSQL.
   */
  startMaintenance: (() => DatabaseMaintenance) | null;
  close(): Promise<void>;
}

const POSTGRES_POOL_SIZE = 10;
const LOCK_FILE = "console.lock";

/** Opens PostgreSQL when DATABASE_URL is set, otherwise the embedded PGlite in the data directory. */
export async function openDatabase(env: ConsoleEnv): Promise<Database> {
  return env.DATABASE_URL ? openPostgres(env.DATABASE_URL) : openPglite(env.CONSOLE_DATA_DIR);
}

async function openPostgres(url: string): Promise<Database> {
  const changeBarrier = createChangeBarrier(url, (problem) => log().warn({ problem }, "change barrier"));
  // One pool for Prisma and the prepared reads alike; Prisma sets its own type parsers per query.
  // A commit that changed what the boundary remembers resolves only after the change barrier.
  const pool = new pg.Pool({
    connectionString: askingForChangeNotices(url),
    max: POSTGRES_POOL_SIZE,
    Client: barrierAwareClient(() => changeBarrier.barrier()),
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const redacted = new URL(url);
  if (redacted.password) redacted.password = "***";
  return {
    kind: "postgresql",
    prisma,
    async preparedQuery<Row>(statement: PreparedStatement, values: readonly string[]) {
      const result = await pool.query({ name: statement.name, text: statement.text, values: [...values], types: PG_QUERY_TYPES });
      return result.rows as Row[];
    },
    changeNotices: null,
    rememberedRows: changeBarrier,
    startChangeBarrier: () => changeBarrier.start(),
    adapterFactory: new PrismaPg({ connectionString: url, max: 2 }),
    location: redacted.toString(),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    startMaintenance: null,
    async close() {
      await prisma.$disconnect();
      await pool.end();
      await changeBarrier.close();
    },
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  await mkdir(dataDir, { recursive: true });
  const releaseLock = await lockDataDir(dataDir);
  try {
    const pglite = await PGlite.create(path.join(dataDir, "pglite"), { parsers: PGLITE_PARSERS });
    // Before anything else holds the instance: the maintenance's own statements go around the count.
    const uncounted = { exec: pglite.exec.bind(pglite), query: pglite.query.bind(pglite) };
    const activity = countQueries(pglite);
    let maintenance: DatabaseMaintenance | null = null;
    const adapterFactory = new PrismaPGlite(pglite);
    const prisma = new PrismaClient({ adapter: adapterFactory });
    return {
      kind: "pglite",
      prisma,
      preparedQuery: pglitePreparedQuery(pglite),
      changeNotices: {
        async listen(channel, onNotice) {
          await pglite.listen(channel, onNotice);
        },
      },
      rememberedRows: {
        async watch(channel, onChange) {
          await pglite.listen(channel, () => onChange());
        },
        trustedForMs: () => Number.POSITIVE_INFINITY,
      },
      startChangeBarrier: null,
      adapterFactory,
      location: dataDir,
      poolStats: null,
      startMaintenance() {
        maintenance ??= startMaintenance(pgliteMaintenanceDeps(uncounted, activity));
        return maintenance;
      },
      async close() {
        await maintenance?.stop();
        await prisma.$disconnect();
        await pglite.close();
        await releaseLock();
      },
    };
  } catch (error) {
    await releaseLock();
    throw error;
  }
}

/** When the one connection of the embedded database last did something, for what waits for a pause. */
interface QueryActivity {
  /** Milliseconds since the last query finished; 0 while one is running. */
  idleForMs(): number;
}

/**
 * Counts the queries in flight on the instance (Prisma's adapter calls query, exec and transaction;
 * the prepared reads call exec), so background work can wait until requests leave it alone.
 */
function countQueries(pglite: PGlite): QueryActivity {
  let inFlight = 0;
  let lastDone = performance.now();
  const counted = <Args extends unknown[], Result>(method: (...args: Args) => Promise<Result>) =>
    async function (this: PGlite, ...args: Args): Promise<Result> {
      inFlight++;
      try {
        return await method.apply(this, args);
      } finally {
        inFlight--;
        lastDone = performance.now();
      }
    };
  pglite.query = counted(pglite.query) as PGlite["query"];
  pglite.exec = counted(pglite.exec);
  pglite.transaction = counted(pglite.transaction) as PGlite["transaction"];
  return { idleForMs: () => (inFlight > 0 ? 0 : performance.now() - lastDone) };
}

/**
 * The tables' change counters and sizes, as autovacuum reads them: the three counters of
 * pg_stat_user_tables read by their own functions. The view computes some twenty for every table
 * and cost about 10 ms of the thread requests share on each check; this costs about 1.5.
 */
const TABLE_ACTIVITY_SQL = `
  SELECT c.relname AS table, c.reltuples::float8 AS reltuples, c.relpages::float8 AS relpages,
         pg_stat_get_mod_since_analyze(c.oid)::float8 AS mods, pg_stat_get_dead_tuples(c.oid)::float8 AS dead,
         pg_stat_get_ins_since_vacuum(c.oid)::float8 AS inserts
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'm', 'p')`;

function pgliteMaintenanceDeps(pglite: { exec: PGlite["exec"]; query: PGlite["query"] }, activity: QueryActivity): MaintenanceDeps {
  return {
    async readActivity(): Promise<TableActivity[]> {
      // The counters reach pg_stat_user_tables about once a second; this makes the read current.
      await pglite.exec("SELECT pg_stat_force_next_flush()");
      const { rows } = await pglite.query<{ table: string; reltuples: number; relpages: number; mods: number; dead: number; inserts: number }>(
        TABLE_ACTIVITY_SQL,
      );
      return rows.map((row) => ({
        table: row.table,
        reltuples: row.reltuples,
        relpages: row.relpages,
        modsSinceAnalyze: row.mods,
        deadTuples: row.dead,
        insertsSinceVacuum: row.inserts,
      }));
    },
    async run(statement, table) {
      await pglite.exec(`${statement} ${pg.escapeIdentifier(table)}`);
    },
    idleForMs: () => activity.idleForMs(),
    now: () => performance.now(),
    log: componentLog("database"),
  };
}

/**
 * PGlite's query() re-parses and re-plans on every call (a five-way join: about 0.9 ms of its
 * single thread) and offers no named statements. SQL-level PREPARE does the same job: the
 * statement is prepared once for the one embedded session (a rollback does not undo it) and run
 * with EXECUTE, whose arguments can only be literals, so they are quoted by pg's own escaper.
 */
function pglitePreparedQuery(pglite: PGlite): PreparedQuery {
  const prepared = new Map<string, Promise<unknown>>();
  return async <Row>(statement: PreparedStatement, values: readonly string[]) => {
    let preparing = prepared.get(statement.name);
    if (!preparing) {
      preparing = pglite.exec(`PREPARE ${pg.escapeIdentifier(statement.name)} AS ${statement.text}`);
      prepared.set(statement.name, preparing);
      preparing.catch(() => prepared.delete(statement.name));
    }
    await preparing;
    const args = values.length > 0 ? `(${values.map((value) => pg.escapeLiteral(value)).join(", ")})` : "";
    const execute = `EXECUTE ${pg.escapeIdentifier(statement.name)}${args}`;
    if (!statement.genericPlan) {
      const [result] = await pglite.exec(execute, PREPARED_READ_OPTIONS);
      return rowObjects<Row>(result);
    }
    // One string, so nothing else runs on the one session between the three. Should the EXECUTE
    // fail, the SET is undone with the statement's transaction, and RESET is not needed.
    const [, result] = await pglite.exec(`SET plan_cache_mode = force_generic_plan; ${execute}; RESET plan_cache_mode`, PREPARED_READ_OPTIONS);
    return rowObjects<Row>(result);
  };
}

/** The instance's own parsers, which a query's (Prisma's adapter passes its own) take precedence over. */
const PGLITE_PARSERS = { [types.TIMESTAMP]: parseTimestamp, [types.TIMESTAMPTZ]: parseTimestamp };

/**
 * Rows as arrays: PGlite builds each row object with Object.fromEntries over a fresh [name, value]
 * pair per column, and rowObjects names them in one plain loop instead (a list of 20 vaults spent
 * 6–8 % less of the embedded database's one thread in a standalone loop).
 */
const PREPARED_READ_OPTIONS = { rowMode: "array" } as const;

function rowObjects<Row>(result: Pick<Results, "rows" | "fields"> | undefined): Row[] {
  if (!result) return [];
  const names = result.fields.map((field) => field.name);
  return result.rows.map((arrayRow) => {
    // Each row is an array of column values: the query asked for them (PREPARED_READ_OPTIONS).
    const values = arrayRow as unknown[];
    const row: Record<string, unknown> = {};
    for (let column = 0; column < names.length; column++) row[names[column] as string] = values[column];
    return row as Row;
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * PGlite is single-process: two processes opening one directory both "succeed", diverge, and
 * corrupt it. The lock file holds the owner's pid; a lock whose process is gone is taken over.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, "wx", 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number.parseInt(await readFile(lockPath, "utf8").catch(() => ""), 10);
      if (Number.isInteger(owner) && owner !== process.pid && isRunning(owner)) {
        throw new ConfigError(
          `The embedded database in ${dataDir} is in use by another console process (pid ${owner}). ` +
            "Stop that process, or point CONSOLE_DATA_DIR at another directory. " +
            "To run several processes, use PostgreSQL (DATABASE_URL).",
        );
      }
      await rm(lockPath, { force: true });
    }
  }
  throw new ConfigError(`Could not lock ${lockPath}`);
}
