import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { ConfigError, type ConsoleEnv } from "@/lib/env";

const SECRET_FILE = "auth.secret";
const HOW_TO_MAKE_ONE = "node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64url'))\"";

export interface LoadedAuthSecret {
  /** Null only on PostgreSQL without AUTH_SECRET, where nothing that serves the admin UI may start. */
  secret: string | null;
  /** Set when the secret was generated into the data directory on this start. */
  generatedAt?: string;
}

const MISSING_ON_POSTGRES = `AUTH_SECRET is required with DATABASE_URL (PostgreSQL): every console process must sign sessions with the same key. Make one with:\n  ${HOW_TO_MAKE_ONE}`;

/**
 * For the server (scripts/start.ts), before anything else: PostgreSQL deployments run several
 * processes that must all accept each other's cookies, so the secret must come from the environment.
 * Tools that boot the console without serving it (key rotation, the benchmark's seeding) need none.
 */
export function requireAuthSecretConfig(env: ConsoleEnv): void {
  if (env.DATABASE_URL && !env.AUTH_SECRET) throw new ConfigError(MISSING_ON_POSTGRES);
}

/**
 * The key that signs and encrypts session cookies. AUTH_SECRET wins. The embedded default keeps a
 * generated one in its data directory (mode 0600), like the master key, so `npm start` works out of
 * the box.
 */
export async function loadAuthSecret(env: ConsoleEnv): Promise<LoadedAuthSecret> {
  if (env.AUTH_SECRET) return { secret: env.AUTH_SECRET };
  if (env.DATABASE_URL) return { secret: null };
  const file = path.join(env.CONSOLE_DATA_DIR, SECRET_FILE);
  const existing = await readSecretFile(file);
  if (existing) return { secret: existing };
  await mkdir(env.CONSOLE_DATA_DIR, { recursive: true });
  const generated = randomBytes(32).toString("base64url");
  await writeFile(file, `${generated}\n`, { mode: 0o600, flag: "wx" });
  return { secret: generated, generatedAt: file };
}

/** The session secret of this process; only the admin UI asks, and the server always has one. */
export function authSecretOrThrow(secret: string | null): string {
  if (!secret) throw new ConfigError(MISSING_ON_POSTGRES);
  return secret;
}

async function readSecretFile(file: string): Promise<string | null> {
  try {
    const text = (await readFile(file, "utf8")).trim();
    return text.length >= 32 ? text : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}
