import type { PrivateEndpoints } from "@/lib/boundary/endpoint-policy";
import type { Keyring } from "@/lib/crypto/envelope";
import type { DatabaseKind, PreparedQuery } from "@/lib/open-database";
import type { BoundaryLookup } from "@/lib/server/boundary-lookup";
import type { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * What the booted process shares with the request handlers. Next bundles its own copy of every
 * module, so the custom server (scripts/start.ts) hands the opened database and keyring over
 * through one well-known global rather than a module variable.
 */
export interface ConsoleRuntime {
  prisma: PrismaClient;
  /** Named statements for the few queries on the path of every call (see lib/open-database.ts). */
  preparedQuery: PreparedQuery;
  /** CONSOLE_API_RATE_LIMIT_PER_MINUTE: requests per minute per API key on /v1; 0 for no limit. */
  apiRateLimitPerMinute: number;
  /** The credential boundary's read of a placeholder's session, vault and sealed credential. */
  boundaryLookup: BoundaryLookup;
  keyring: Keyring;
  databaseKind: DatabaseKind;
  /** CONSOLE_PRIVATE_ENDPOINTS: the non-public hosts a model token may still be sent to. */
  privateEndpoints: PrivateEndpoints;
  /** CONSOLE_PUBLIC_URL's origin: where runtimes reach this console, when a proxy is in between. */
  publicOrigin?: string;
  /**
   * Signs and encrypts the admin UI's session cookies (AUTH_SECRET or the data dir's auth.secret).
   * Null only for tools that boot without serving (PostgreSQL without AUTH_SECRET).
   */
  authSecret: string | null;
}

const RUNTIME_KEY = Symbol.for("managed-agents-console.runtime");
type RuntimeHolder = { [RUNTIME_KEY]?: ConsoleRuntime };

export function registerRuntime(runtime: ConsoleRuntime | undefined): void {
  (globalThis as RuntimeHolder)[RUNTIME_KEY] = runtime;
}

export function getRuntime(): ConsoleRuntime {
  const runtime = (globalThis as RuntimeHolder)[RUNTIME_KEY];
  if (!runtime) {
    throw new Error("The console runtime is not booted: start the app with `npm start` (scripts/start.ts).");
  }
  return runtime;
}
