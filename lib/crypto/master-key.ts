import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { ConfigError, type ConsoleEnv } from "@/lib/env";
import { createKeyring, masterKeyFromBase64, type Keyring } from "@/lib/crypto/envelope";

const KEY_FILE = "master.key";
const HOW_TO_MAKE_ONE =
  "node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64'))\"";

export interface LoadedKeyring {
  keyring: Keyring;
  /** Set when the key was generated into the data directory on this start (embedded default only). */
  generatedAt?: string;
  source: "env" | "data-dir";
}

/**
 * CONSOLE_MASTER_KEY wins. Without it, the embedded default keeps a generated key in its data
 * directory (mode 0600) so `npm start` works out of the box; PostgreSQL deployments must set it,
 * because a key beside the app would sit on every replica's disk instead of in a secret store.
 * CONSOLE_MASTER_KEY_PREVIOUS (comma list) keeps older keys readable during a rotation.
 */
export async function loadKeyring(env: ConsoleEnv, previous = process.env.CONSOLE_MASTER_KEY_PREVIOUS): Promise<LoadedKeyring> {
  const others = (previous ?? "")
    .split(",")
    .map((value) => value.trim())
    .filter(Boolean)
    .map(masterKeyFromBase64);

  if (env.CONSOLE_MASTER_KEY) {
    return { keyring: createKeyring(masterKeyFromBase64(env.CONSOLE_MASTER_KEY), others), source: "env" };
  }
  if (env.DATABASE_URL) {
    throw new ConfigError(
      `CONSOLE_MASTER_KEY is required with DATABASE_URL (PostgreSQL). Make one with:\n  ${HOW_TO_MAKE_ONE}\n` +
        "and keep it in your secret store: the database alone must never yield a token.",
    );
  }

  const file = path.join(env.CONSOLE_DATA_DIR, KEY_FILE);
  try {
    const stored = (await readFile(file, "utf8")).trim();
    return { keyring: createKeyring(masterKeyFromBase64(stored), others), source: "data-dir" };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  await mkdir(env.CONSOLE_DATA_DIR, { recursive: true });
  const encoded = randomBytes(32).toString("base64");
  await writeFile(file, `${encoded}\n`, { mode: 0o600, flag: "wx" });
  return { keyring: createKeyring(masterKeyFromBase64(encoded), others), generatedAt: file, source: "data-dir" };
}
