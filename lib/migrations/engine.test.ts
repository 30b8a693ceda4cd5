import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, createMigration } from "./engine";

const projectRoot = path.resolve(import.meta.dirname, "../..");

// PGlite's first start and the engine's wasm compile take seconds on a small machine.
const SLOW = 60_000;

describe("migration engine", () => {
  let database: PGlite;
  let scratchRoot: string;

  beforeAll(async () => {
    database = new PGlite();
    // A copy of prisma/ so createMigration can never write into the real migrations directory.
    scratchRoot = await mkdtemp(path.join(tmpdir(), "migrations-test-"));
    await cp(path.join(projectRoot, "prisma"), path.join(scratchRoot, "prisma"), { recursive: true });
  }, SLOW);

  afterAll(async () => {
    await database?.close();
    if (scratchRoot) await rm(scratchRoot, { recursive: true, force: true });
  });

  it(
    "applies every migration to a fresh database",
    async () => {
      const { applied } = await applyMigrations(new PrismaPGlite(database), { root: scratchRoot });

      const migrationDirectories = (await readdir(path.join(scratchRoot, "prisma", "migrations"), { withFileTypes: true }))
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort();
      expect(applied).toEqual(migrationDirectories);
      const { rows } = await database.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
      expect(rows.map((row) => row.tablename)).toEqual(
        expect.arrayContaining(["vaults", "vault_credentials", "api_keys", "audit_events", "_prisma_migrations"]),
      );
    },
    SLOW,
  );

  it(
    "applies nothing the second time and leaves the database open",
    async () => {
      const { applied } = await applyMigrations(new PrismaPGlite(database), { root: scratchRoot });

      expect(applied).toEqual([]);
      const { rows } = await database.query<{ finished: number }>("SELECT count(*)::int AS finished FROM _prisma_migrations WHERE finished_at IS NOT NULL");
      expect(rows[0]?.finished).toBeGreaterThan(0);
    },
    SLOW,
  );

  it(
    "creates no migration when the schema matches the history",
    async () => {
      const before = await readdir(path.join(scratchRoot, "prisma", "migrations"));

      await expect(createMigration("unchanged", { root: scratchRoot })).resolves.toBeNull();
      expect(await readdir(path.join(scratchRoot, "prisma", "migrations"))).toEqual(before);
    },
    SLOW,
  );
});
