// vitest globalSetup of the unit project: one migrated embedded database that every test booting a
// console copies instead of making its own. A fresh PGlite data dir runs initdb in a second wasm
// instance (5-10 s on two quiet cores, over a minute under load) and then every migration; copying
// a migrated one takes well under a second. Each boot still runs the real migration engine against
// the copy (it finds nothing left to apply); applying the migrations to a fresh database is tested by
// lib/migrations/engine.test.ts and by making this template.
//
// The template is kept in .tmp/ under a hash of the migrations and the PGlite version, so a
// clean clone makes it once and later runs reuse it until a migration or PGlite changes.
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "@/lib/migrations/engine";

declare module "vitest" {
  export interface ProvidedContext {
    /** A closed, migrated PGlite directory: copy it (seedDataDir), never open it in place. */
    pgliteTemplateDir: string;
  }
}

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const TEMPLATES = path.join(ROOT, ".tmp", "pglite-templates");

/** Changes whenever a copy could differ from a freshly migrated database. */
async function templateKey(): Promise<string> {
  const hash = createHash("sha256");
  const migrations = path.join(ROOT, "prisma", "migrations");
  for (const entry of (await readdir(migrations, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    hash.update(entry.name);
    if (entry.isDirectory()) hash.update(await readFile(path.join(migrations, entry.name, "migration.sql")));
  }
  // The data directory's format is PGlite's (its PostgreSQL build), so its version is part of the key.
  const pgliteEntry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  const pglitePackage = path.join(pgliteEntry.slice(0, pgliteEntry.lastIndexOf(`${path.sep}dist${path.sep}`)), "package.json");
  hash.update(await readFile(pglitePackage));
  return hash.digest("hex").slice(0, 16);
}

export async function ensurePgliteTemplate(): Promise<string> {
  const key = await templateKey();
  const finalDir = path.join(TEMPLATES, key);
  const pgliteDir = path.join(finalDir, "pglite");
  if (existsSync(pgliteDir)) return pgliteDir;

  // Made aside and renamed into place, so a run that is stopped halfway never leaves a template
  // that looks complete.
  const building = path.join(TEMPLATES, `building-${randomBytes(4).toString("hex")}`);
  await mkdir(building, { recursive: true });
  try {
    const database = await PGlite.create(path.join(building, "pglite"));
    try {
      await applyMigrations(new PrismaPGlite(database), { root: ROOT });
    } finally {
      // Closed cleanly, so that a copy opens without recovery.
      await database.close();
    }
    // Older templates (other migrations) are of no further use; one being built by another run is its business.
    for (const name of await readdir(TEMPLATES)) {
      if (!name.startsWith("building-")) await rm(path.join(TEMPLATES, name), { recursive: true, force: true });
    }
    // Another run may have finished the same template first: then its copy is as good as ours.
    await rename(building, finalDir).catch((error: unknown) => {
      if (!existsSync(pgliteDir)) throw error;
    });
  } finally {
    await rm(building, { recursive: true, force: true });
  }
  return pgliteDir;
}

export default async function setup(project: TestProject): Promise<void> {
  project.provide("pgliteTemplateDir", await ensurePgliteTemplate());
}
