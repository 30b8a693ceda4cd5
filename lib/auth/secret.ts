import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { ConfigError, type ConsoleEnv } from "@/lib/env";

const SECRET_FILE = "auth.secret";
const HOW_TO_MAKE_ONE = "node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64url'))\"";

export interface LoadedAuthSecret {
  secret: string;
  /** Set when the secret was generated into the data directory on this start. */
  generatedAt?: string;
}

/**
 * The key that signs and encrypts session cookies. AUTH_SECRET wins. The embedded default keeps a
 * generated one in its data directory (mode 0600), like the master key, so `npm start` works out of
 * the box; PostgreSQL deployments run several processes that must all accept each other's cookies,
 * so there it must come from the environment.
 */
export async function loadAuthSecret(env: ConsoleEnv): Promise<LoadedAuthSecret> {
  if (env.AUTH_SECRET) return { secret: env.AUTH_SECRET };
  if (env.DATABASE_URL) {
    throw new ConfigError(
      `AUTH_SECRET is required with DATABASE_URL (PostgreSQL): every console process must sign sessions with the same key. Make one with:\n  ${HOW_TO_MAKE_ONE}`,
    );
  }
  const file = path.join(env.CONSOLE_DATA_DIR, SECRET_FILE);
  const existing = await readSecretFile(file);
  if (existing) return { secret: existing };
  await mkdir(env.CONSOLE_DATA_DIR, { recursive: true });
  const generated = randomBytes(32).toString("base64url");
  await writeFile(file, `${generated}\n`, { mode: 0o600, flag: "wx" });
  return { secret: generated, generatedAt: file };
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
