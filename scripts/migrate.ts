/**
 * Offline migrations through the wasm schema engine (the native one cannot be downloaded here).
 *
 *   tsx scripts/migrate.ts create <name>   writes prisma/migrations/<timestamp>_<name>/migration.sql
 *   tsx scripts/migrate.ts deploy          applies pending migrations to DATABASE_URL (PostgreSQL)
 */
import "@/lib/debug-guard";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { applyMigrations, createMigration } from "@/lib/migrations/engine";

const root = path.resolve(import.meta.dirname, "..");
const USAGE = "Usage: tsx scripts/migrate.ts create <name> | deploy";

async function create(name: string | undefined): Promise<number> {
  if (!name) {
    console.error(USAGE);
    return 2;
  }
  const directory = await createMigration(name, { root });
  console.log(directory ? `Created ${path.relative(root, directory)}` : "The schema has no changes; no migration created.");
  return 0;
}

async function deploy(): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error(
      "DATABASE_URL is not set. The embedded PGlite database is migrated by the server itself when it " +
        "starts (npm start); deploy is for PostgreSQL: DATABASE_URL=postgres://… tsx scripts/migrate.ts deploy",
    );
    return 1;
  }
  if (!/^postgres(ql)?:\/\//.test(url)) {
    console.error("DATABASE_URL must be a postgres:// or postgresql:// URL.");
    return 1;
  }
  // applyMigrations disposes what it connected, which ends this factory's pool: the process can exit.
  const { applied } = await applyMigrations(new PrismaPg({ connectionString: url, max: 2 }), { root });
  console.log(applied.length === 0 ? "No pending migrations." : `Applied ${applied.length} migration(s):\n${applied.map((name) => `  ${name}`).join("\n")}`);
  return 0;
}

const [command, ...rest] = process.argv.slice(2);
try {
  if (command === "create") process.exitCode = await create(rest[0]);
  else if (command === "deploy") process.exitCode = await deploy();
  else {
    console.error(USAGE);
    process.exitCode = 2;
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
