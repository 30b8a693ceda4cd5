import { describe, expect, it, vi } from "vitest";
import { maintenanceDue, startMaintenance, type MaintenanceDeps, type MaintenanceStatement, type TableActivity } from "@/lib/db-maintenance";

const quiet = (overrides: Partial<TableActivity> & { table: string }): TableActivity => ({
  reltuples: 10_000,
  relpages: 200,
  modsSinceAnalyze: 0,
  deadTuples: 0,
  insertsSinceVacuum: 0,
  ...overrides,
});

describe("maintenanceDue (autovacuum's thresholds)", () => {
  it("analyzes a table once more than 50 + 10 % of its rows changed, not before", () => {
    // 10,000 rows: the threshold is 1,050 changed rows.
    expect(maintenanceDue([quiet({ table: "vaults", modsSinceAnalyze: 1_050 })])).toEqual([]);
    expect(maintenanceDue([quiet({ table: "vaults", modsSinceAnalyze: 1_051 })])).toEqual([{ table: "vaults", statement: "ANALYZE", urgency: 1_051 / 1_050 }]);
  });

  it("vacuums a table once more than 50 + 20 % of its rows are dead, or 1,000 + 20 % were inserted", () => {
    expect(maintenanceDue([quiet({ table: "vaults", deadTuples: 2_050 })])).toEqual([]);
    expect(maintenanceDue([quiet({ table: "vaults", deadTuples: 2_051 })]).map((task) => task.statement)).toEqual(["VACUUM"]);
    expect(maintenanceDue([quiet({ table: "vaults", insertsSinceVacuum: 3_000 })])).toEqual([]);
    expect(maintenanceDue([quiet({ table: "vaults", insertsSinceVacuum: 3_001 })]).map((task) => task.statement)).toEqual(["VACUUM"]);
  });

  it("counts a table never analyzed as empty, so its first 51 changes earn an ANALYZE", () => {
    const fresh = { reltuples: -1, relpages: 0 };
    expect(maintenanceDue([quiet({ table: "vaults", ...fresh, modsSinceAnalyze: 50 })])).toEqual([]);
    expect(maintenanceDue([quiet({ table: "vaults", ...fresh, modsSinceAnalyze: 51 })]).map((task) => task.statement)).toEqual(["ANALYZE"]);
  });

  it("analyzes a table that holds pages but was never analyzed, whatever its counters (they restart after a crash)", () => {
    expect(maintenanceDue([quiet({ table: "vaults", reltuples: -1, relpages: 3 })])).toEqual([{ table: "vaults", statement: "ANALYZE", urgency: Infinity }]);
  });

  it("puts the table furthest past its threshold first", () => {
    const due = maintenanceDue([
      quiet({ table: "a", modsSinceAnalyze: 2_000 }),
      quiet({ table: "b", modsSinceAnalyze: 9_000 }),
      quiet({ table: "c", deadTuples: 5_000 }),
    ]);
    expect(due.map((task) => `${task.statement} ${task.table}`)).toEqual(["ANALYZE b", "VACUUM c", "ANALYZE a"]);
  });
});

/** A clock, a connection that is busy or idle as told, and a record of the statements run. */
function fakeDatabase(tables: TableActivity[]) {
  const state = { now: 0, idleForMs: 1_000, statementMs: 40 };
  const ran: string[] = [];
  /** What it reported, as "level: line". */
  const logged: string[] = [];
  const deps: MaintenanceDeps = {
    readActivity: async () => tables,
    async run(statement: MaintenanceStatement, table: string) {
      ran.push(`${statement} ${table}`);
      state.now += state.statementMs;
      const row = tables.find((candidate) => candidate.table === table);
      if (row && statement === "ANALYZE") row.modsSinceAnalyze = 0;
      if (row && statement === "VACUUM") Object.assign(row, { deadTuples: 0, insertsSinceVacuum: 0 });
    },
    idleForMs: () => state.idleForMs,
    now: () => state.now,
    log: { info: (line) => logged.push(`info: ${line}`), warn: (line) => logged.push(`warn: ${line}`) },
  };
  return { state, ran, logged, deps };
}

describe("the maintenance scheduler", () => {
  const options = { checkEveryMs: 60_000, idleMs: 200, overdueMs: 30_000 };

  it("runs what is due one table at a time when the connection is idle, and records how long each held it", async () => {
    const db = fakeDatabase([
      quiet({ table: "vaults", modsSinceAnalyze: 5_000, deadTuples: 3_000 }),
      quiet({ table: "audit_events", modsSinceAnalyze: 2_000 }),
    ]);
    const maintenance = startMaintenance(db.deps, options);
    try {
      const runs = await maintenance.checkNow();
      expect(db.ran).toEqual(["ANALYZE vaults", "ANALYZE audit_events", "VACUUM vaults"]);
      expect(runs.every((run) => run.ms === 40 && !run.forced)).toBe(true);
      expect(db.logged[0]).toBe("info: database maintenance: ANALYZE vaults held the connection 40 ms");
      expect(await maintenance.checkNow()).toEqual([]);
    } finally {
      await maintenance.stop();
    }
  });

  it("waits while requests use the connection, and runs an overdue table anyway", async () => {
    const db = fakeDatabase([quiet({ table: "vaults", modsSinceAnalyze: 5_000 })]);
    db.state.idleForMs = 0;
    const maintenance = startMaintenance(db.deps, options);
    try {
      expect(await maintenance.checkNow()).toEqual([]);
      db.state.now += 29_999;
      expect(await maintenance.checkNow()).toEqual([]);
      db.state.now += 1;
      expect(await maintenance.checkNow()).toEqual([{ table: "vaults", statement: "ANALYZE", ms: 40, forced: true }]);
      expect(db.ran).toEqual(["ANALYZE vaults"]);
    } finally {
      await maintenance.stop();
    }
  });

  it("reports a pass that failed as a warning, and tries again at the next", async () => {
    const db = fakeDatabase([quiet({ table: "vaults", modsSinceAnalyze: 5_000 })]);
    db.deps.readActivity = async () => {
      throw new Error("the connection is closed");
    };
    const maintenance = startMaintenance(db.deps, { ...options, checkEveryMs: 5 });
    try {
      await vi.waitFor(() => expect(db.logged.filter((line) => line.startsWith("warn: ")).length).toBeGreaterThanOrEqual(2));
      expect(db.logged[0]).toBe("warn: database maintenance failed: the connection is closed");
    } finally {
      await maintenance.stop();
    }
  });

  it("runs nothing on quiet tables", async () => {
    const db = fakeDatabase([quiet({ table: "vaults", modsSinceAnalyze: 10 })]);
    const maintenance = startMaintenance(db.deps, options);
    try {
      expect(await maintenance.checkNow()).toEqual([]);
      expect(db.ran).toEqual([]);
    } finally {
      await maintenance.stop();
    }
  });
});
