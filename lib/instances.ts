import type { Keyring } from "@/lib/crypto/envelope";
import type { ChangeNotices, PreparedQuery } from "@/lib/open-database";
import type { BoundaryLookup } from "@/lib/boundary/lookup";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { RunQueue } from "@/lib/runner/queue";

/**
 * The one place for what the boot opens and the request handlers use: objects, not settings (those
 * are lib/env.ts's `settings()`). Next bundles its own copy of every module, so a module variable
 * set by the custom server (scripts/start.ts → lib/boot.ts) would be invisible to the routes Next
 * serves; the booted instances are handed over through one well-known global instead, and read
 * only through the narrow accessors below, so each service's imports name what it depends on.
 */
interface SharedInstances {
  prisma: PrismaClient;
  /** Named statements for the few queries on the path of every call (see lib/open-database.ts). */
  preparedQuery: PreparedQuery;
  /** The credential boundary's read of a placeholder's session, vault and sealed credential. */
  boundaryLookup: BoundaryLookup;
  keyring: Keyring;
  /** The embedded database's own notices (one process); null on PostgreSQL, which has its own LISTEN. */
  changeNotices: ChangeNotices | null;
  /**
   * Signs and encrypts the admin UI's session cookies (AUTH_SECRET or the data dir's auth.secret).
   * Null only for tools that boot without serving (PostgreSQL without AUTH_SECRET).
   */
  authSecret: string | null;
}

const INSTANCES_KEY = Symbol.for("managed-agents-console.instances");
type InstancesHolder = { [INSTANCES_KEY]?: SharedInstances };

/** Called by lib/boot.ts alone: with the opened instances at boot, with undefined at close. */
export function shareInstances(instances: SharedInstances | undefined): void {
  (globalThis as InstancesHolder)[INSTANCES_KEY] = instances;
}

function shared(): SharedInstances {
  const instances = (globalThis as InstancesHolder)[INSTANCES_KEY];
  if (!instances) {
    throw new Error("The console is not booted: start the app with `npm start` (scripts/start.ts).");
  }
  return instances;
}

/** The one Prisma client of this process: PGlite or PostgreSQL (services import it as lib/db.ts's `db`). */
export const db = (): PrismaClient => shared().prisma;
export const preparedQuery = (): PreparedQuery => shared().preparedQuery;
export const boundaryLookup = (): BoundaryLookup => shared().boundaryLookup;
/** The loaded master keys: the active one seals, every one of them opens. */
export const keyring = (): Keyring => shared().keyring;
export const changeNotices = (): ChangeNotices | null => shared().changeNotices;
export const authSecret = (): string | null => shared().authSecret;

const RUN_QUEUE_KEY = Symbol.for("managed-agents-console.run-queue");
type RunQueueHolder = { [RUN_QUEUE_KEY]?: RunQueue | null };

/** Set by scripts/start.ts once the run queue is up (after boot, since it needs the console's own URL). */
export function shareRunQueue(queue: RunQueue | null): void {
  (globalThis as RunQueueHolder)[RUN_QUEUE_KEY] = queue;
}

/** Where new runs are sent, or null in a process that runs none (tools): they stay queued until swept. */
export const runQueue = (): RunQueue | null => (globalThis as RunQueueHolder)[RUN_QUEUE_KEY] ?? null;
