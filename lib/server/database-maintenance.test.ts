// The embedded database's autovacuum stand-in, end to end: writes through the services move
// PGlite's own counters, and once enough rows changed the table is analyzed (and no sooner).
import { describe, expect, it } from "vitest";
import { db } from "@/lib/instances";
import { SYSTEM_CONTEXT } from "@/lib/server/audit";
import { setUpEmbeddedConsole } from "@/lib/server/testing/embedded-console";
import { createVault } from "@/lib/server/vaults";
import { vaultCreateSchema } from "@/lib/validation/vaults";

const embedded = setUpEmbeddedConsole("maintenance");

async function createVaults(count: number, from: number): Promise<void> {
  for (let index = from; index < from + count; index++) {
    await createVault(vaultCreateSchema.parse({ display_name: `Vault ${index}` }), SYSTEM_CONTEXT);
  }
}

async function lastAnalyzed(table: string): Promise<Date | null> {
  const rows = await db().$queryRawUnsafe<{ last_analyze: Date | null }[]>("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = $1", table);
  return rows[0]?.last_analyze ?? null;
}

describe("PGlite maintenance", () => {
  it("analyzes a table after more than 50 + 10 % of its rows changed through the services, and not before", { timeout: 180_000 }, async () => {
    const booted = await embedded.boot();
    const maintenance = booted.maintenance;
    if (!maintenance) throw new Error("the embedded console runs no maintenance");
    const analyzedVaults = () => maintenance.history.filter((run) => run.table === "vaults" && run.statement === "ANALYZE");

    // The vaults table is empty and never analyzed: its threshold is 50 changed rows.
    await createVaults(40, 0);
    await new Promise((wake) => setTimeout(wake, 300));
    await maintenance.checkNow();
    expect(analyzedVaults()).toEqual([]);
    expect(await lastAnalyzed("vaults")).toBeNull();

    await createVaults(20, 40);
    await new Promise((wake) => setTimeout(wake, 300));
    await maintenance.checkNow();
    expect(analyzedVaults()).toHaveLength(1);
    expect(await lastAnalyzed("vaults")).toBeInstanceOf(Date);
    // Its statistics now count the rows, so the next threshold is 50 + 10 % of 60.
    const stats = await db().$queryRawUnsafe<{ reltuples: number }[]>("SELECT reltuples::float8 AS reltuples FROM pg_class WHERE relname = 'vaults'");
    expect(stats[0]?.reltuples).toBe(60);
    // The columns plans read got statistics; the id and the JSON document, which none reads, were skipped.
    const analyzed = (await db().$queryRawUnsafe<{ attname: string }[]>("SELECT attname FROM pg_stats WHERE tablename = 'vaults'")).map((row) => row.attname);
    expect(analyzed).toEqual(expect.arrayContaining(["display_name", "created_at", "active", "role"]));
    expect(analyzed).not.toContain("id");
    expect(analyzed).not.toContain("metadata");
    await maintenance.checkNow();
    expect(analyzedVaults()).toHaveLength(1);
  });

  it("skips every JSON document when analyzing, so a table's ANALYZE holds the connection no longer than its plans need", async () => {
    await embedded.boot();
    const documents = await db().$queryRawUnsafe<{ column: string; target: number | null }[]>(
      `SELECT c.relname || '.' || a.attname AS "column", a.attstattarget::int AS target
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.atttypid = 'jsonb'::regtype AND a.attnum > 0 AND NOT a.attisdropped`,
    );
    expect(documents.length).toBeGreaterThan(10);
    // A new JSON column gets its `SET STATISTICS 0` in the migration that adds it (see 20261204040000_column_statistics_targets).
    expect(documents.filter((document) => document.target !== 0)).toEqual([]);
  });
});
