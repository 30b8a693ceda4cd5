// What PostgreSQL's autovacuum does, for the embedded database, which has none: when enough rows
// of a table changed since its last ANALYZE (or enough dead rows piled up since its last VACUUM),
// run that statement on that table. PGlite is one connection in this process, so a statement holds
// every request behind it: the scheduler waits for the connection to be idle, runs one statement
// at a time, and checks again before the next. A table whose turn never comes (a steady load with
// no pause) is done anyway after a while: one short stall beats plans and tables that degrade.
//
// The counts are pg_stat_user_tables' (read by their pg_stat_get_* functions, lib/open-database.ts),
// which PGlite keeps as PostgreSQL does (flushed about once a second), and the table sizes come
// from pg_class.reltuples, as autovacuum reads them.

import type { ComponentLog } from "@/lib/ops/logger";

/** autovacuum's defaults (PostgreSQL 18): base threshold + scale factor × reltuples. */
export const MAINTENANCE_THRESHOLDS = {
  analyzeBase: 50,
  analyzeScale: 0.1,
  vacuumBase: 50,
  vacuumScale: 0.2,
  /** Inserts alone also earn a VACUUM (PostgreSQL 13+): it sets the visibility map index-only scans read. */
  insertVacuumBase: 1000,
  insertVacuumScale: 0.2,
} as const;

export interface TableActivity {
  table: string;
  /** pg_class.reltuples: -1 until the table's first ANALYZE or VACUUM. */
  reltuples: number;
  /** pg_class.relpages: 0 for a table that never held a row on disk. */
  relpages: number;
  modsSinceAnalyze: number;
  deadTuples: number;
  insertsSinceVacuum: number;
}

export type MaintenanceStatement = "ANALYZE" | "VACUUM";

export interface MaintenanceTask {
  table: string;
  statement: MaintenanceStatement;
  /** How far past its threshold the table is (the count ÷ the threshold), to do the worst first. */
  urgency: number;
}

/**
 * The statements due, most urgent first, by autovacuum's rules. A table never analyzed that holds
 * pages is due for ANALYZE whatever its counters say: they restart from zero after an unclean exit.
 */
export function maintenanceDue(tables: readonly TableActivity[]): MaintenanceTask[] {
  const t = MAINTENANCE_THRESHOLDS;
  const tasks: MaintenanceTask[] = [];
  for (const table of tables) {
    const tuples = Math.max(table.reltuples, 0);
    const vacuumThreshold = t.vacuumBase + t.vacuumScale * tuples;
    const insertThreshold = t.insertVacuumBase + t.insertVacuumScale * tuples;
    const vacuumUrgency = Math.max(table.deadTuples / vacuumThreshold, table.insertsSinceVacuum / insertThreshold);
    if (vacuumUrgency > 1) tasks.push({ table: table.table, statement: "VACUUM", urgency: vacuumUrgency });
    const analyzeUrgency = table.modsSinceAnalyze / (t.analyzeBase + t.analyzeScale * tuples);
    const neverAnalyzed = table.reltuples < 0 && table.relpages > 0;
    if (analyzeUrgency > 1 || neverAnalyzed) tasks.push({ table: table.table, statement: "ANALYZE", urgency: neverAnalyzed ? Infinity : analyzeUrgency });
  }
  return tasks.sort((a, b) => b.urgency - a.urgency);
}

export interface MaintenanceRun {
  table: string;
  statement: MaintenanceStatement;
  /** How long the statement held the connection. */
  ms: number;
  /** True when it ran without the idle pause it waits for (the table was overdue). */
  forced: boolean;
}

export interface MaintenanceDeps {
  readActivity(): Promise<TableActivity[]>;
  /** Runs `ANALYZE "table"` or `VACUUM "table"`. */
  run(statement: MaintenanceStatement, table: string): Promise<void>;
  /** Milliseconds since the connection last finished a query; 0 while one is running. */
  idleForMs(): number;
  now(): number;
  log: ComponentLog;
}

export interface MaintenanceOptions {
  /** How often the counters are read (autovacuum_naptime is 60 s; a read here costs well under a millisecond). */
  checkEveryMs: number;
  /** The pause in queries a statement waits for. */
  idleMs: number;
  /** After this long due, a table is done even without a pause. */
  overdueMs: number;
}

export const DEFAULT_MAINTENANCE_OPTIONS: MaintenanceOptions = { checkEveryMs: 5_000, idleMs: 200, overdueMs: 30_000 };

export interface DatabaseMaintenance {
  /**
   * One pass: reads the counters and runs what is due, one statement at a time, each when the
   * connection is idle (or the table is overdue); what is not idle yet waits for the next pass.
   */
  checkNow(): Promise<MaintenanceRun[]>;
  /** Every statement run so far, for the logs and the benchmark. */
  readonly history: readonly MaintenanceRun[];
  stop(): Promise<void>;
}

/** Starts the periodic passes; the timer never keeps the process alive. */
export function startMaintenance(deps: MaintenanceDeps, options: MaintenanceOptions = DEFAULT_MAINTENANCE_OPTIONS): DatabaseMaintenance {
  const history: MaintenanceRun[] = [];
  /** When each task was first seen due, by "STATEMENT table". */
  const dueSince = new Map<string, number>();
  let running: Promise<MaintenanceRun[]> | null = null;
  let stopped = false;

  async function pass(): Promise<MaintenanceRun[]> {
    const done: MaintenanceRun[] = [];
    const due = maintenanceDue(await deps.readActivity());
    const dueKeys = new Set(due.map((task) => `${task.statement} ${task.table}`));
    for (const key of dueSince.keys()) if (!dueKeys.has(key)) dueSince.delete(key);
    for (const task of due) {
      if (stopped) break;
      const key = `${task.statement} ${task.table}`;
      const since = dueSince.get(key) ?? deps.now();
      dueSince.set(key, since);
      const forced = deps.now() - since >= options.overdueMs;
      if (!forced && deps.idleForMs() < options.idleMs) continue;
      const started = deps.now();
      await deps.run(task.statement, task.table);
      const run = { table: task.table, statement: task.statement, ms: deps.now() - started, forced };
      dueSince.delete(key);
      done.push(run);
      history.push(run);
      deps.log.info(
        `database maintenance: ${run.statement} ${run.table} held the connection ${run.ms.toFixed(0)} ms${forced ? " (overdue: ran without an idle pause)" : ""}`,
      );
    }
    return done;
  }

  function checkNow(): Promise<MaintenanceRun[]> {
    running ??= pass().finally(() => (running = null));
    return running;
  }

  const timer = setInterval(() => {
    checkNow().catch((error: unknown) => deps.log.warn(`database maintenance failed: ${error instanceof Error ? error.message : String(error)}`));
  }, options.checkEveryMs);
  timer.unref();

  return {
    checkNow,
    history,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
