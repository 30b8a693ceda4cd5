// The agent_version_metadata migration on a database that already holds agents: every stored
// version gets its agent's metadata, and afterwards no version can be written without its own.
import { cp, mkdtemp, readdir, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "./engine";

const projectRoot = path.resolve(import.meta.dirname, "../..");
const MIGRATION = "20261201212934_agent_version_metadata";
// PGlite's first start and the engine's wasm compile take seconds on a small machine.
const SLOW = 60_000;

describe("migration agent_version_metadata", () => {
  let database: PGlite;
  let scratchRoot: string;

  beforeAll(async () => {
    database = new PGlite();
    scratchRoot = await mkdtemp(path.join(tmpdir(), "agent-version-metadata-"));
    await cp(path.join(projectRoot, "prisma"), path.join(scratchRoot, "prisma"), { recursive: true });
  }, SLOW);

  afterAll(async () => {
    await database?.close();
    if (scratchRoot) await rm(scratchRoot, { recursive: true, force: true });
  });

  it(
    "backfills the metadata of every stored version from its agent and leaves the column without a default",
    async () => {
      // The database as it stood before the migration: it and every later one (which may build on it) are held back.
      const migrations = path.join(scratchRoot, "prisma", "migrations");
      const heldBack = (await readdir(migrations)).filter((name) => /^\d{14}_/.test(name) && name >= MIGRATION);
      for (const name of heldBack) await rename(path.join(migrations, name), path.join(scratchRoot, name));
      await applyMigrations(new PrismaPGlite(database), { root: scratchRoot });

      await database.exec(`
        INSERT INTO agents (id, name, model, metadata, version) VALUES
          ('agent_backfill_two', 'two', '{"id":"claude-sonnet-4-5"}', '{"team":"billing"}', 2),
          ('agent_backfill_one', 'one', '{"id":"claude-sonnet-4-5"}', '{}', 1);
        INSERT INTO agent_versions (agent_id, version, snapshot) VALUES
          ('agent_backfill_two', 1, '{}'), ('agent_backfill_two', 2, '{}'), ('agent_backfill_one', 1, '{}');
      `);

      for (const name of heldBack) await rename(path.join(scratchRoot, name), path.join(migrations, name));
      const { applied } = await applyMigrations(new PrismaPGlite(database), { root: scratchRoot });
      expect(applied).toContain(MIGRATION);

      const { rows } = await database.query<{ agent_id: string; version: number; metadata: unknown }>(
        "SELECT agent_id, version, metadata FROM agent_versions WHERE agent_id LIKE 'agent_backfill_%' ORDER BY agent_id, version",
      );
      expect(rows).toEqual([
        { agent_id: "agent_backfill_one", version: 1, metadata: {} },
        { agent_id: "agent_backfill_two", version: 1, metadata: { team: "billing" } },
        { agent_id: "agent_backfill_two", version: 2, metadata: { team: "billing" } },
      ]);
      await expect(database.exec("INSERT INTO agent_versions (agent_id, version, snapshot) VALUES ('agent_backfill_one', 2, '{}')")).rejects.toThrow(
        /metadata/,
      );
    },
    SLOW,
  );
});
