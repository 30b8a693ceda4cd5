import { mkdir, open, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { ConfigError, type ConsoleEnv } from "@/lib/env";

export type DatabaseKind = "pglite" | "postgresql";

export interface Database {
  kind: DatabaseKind;
  prisma: PrismaClient;
  /** What the migration engine connects through (a separate factory, never closed by it). */
  adapterFactory: SqlDriverAdapterFactory;
  /** Where the data lives, for messages: a directory, or the URL without its password. */
  location: string;
  close(): Promise<void>;
}

const POSTGRES_POOL_SIZE = 10;
const LOCK_FILE = "console.lock";

/** Opens PostgreSQL when DATABASE_URL is set, otherwise the embedded PGlite in the data directory. */
export async function openDatabase(env: ConsoleEnv): Promise<Database> {
  return env.DATABASE_URL ? openPostgres(env.DATABASE_URL) : openPglite(env.CONSOLE_DATA_DIR);
}

async function openPostgres(url: string): Promise<Database> {
  const adapterFactory = new PrismaPg({ connectionString: url, max: POSTGRES_POOL_SIZE });
  const prisma = new PrismaClient({ adapter: adapterFactory });
  const redacted = new URL(url);
  if (redacted.password) redacted.password = "***";
  return {
    kind: "postgresql",
    prisma,
    adapterFactory: new PrismaPg({ connectionString: url, max: 2 }),
    location: redacted.toString(),
    close: () => prisma.$disconnect(),
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  await mkdir(dataDir, { recursive: true });
  const releaseLock = await lockDataDir(dataDir);
  try {
    const pglite = await PGlite.create(path.join(dataDir, "pglite"));
    const adapterFactory = new PrismaPGlite(pglite);
    const prisma = new PrismaClient({ adapter: adapterFactory });
    return {
      kind: "pglite",
      prisma,
      adapterFactory,
      location: dataDir,
      async close() {
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
