import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
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

  const file = keyFilePath(env.CONSOLE_DATA_DIR);
  const [active, ...older] = (await readKeyLines(file)).map(masterKeyFromBase64);
  if (active) return { keyring: createKeyring(active, [...older, ...others]), source: "data-dir" };

  await mkdir(env.CONSOLE_DATA_DIR, { recursive: true });
  const generated = generateMasterKey();
  await writeFile(file, `${generated}\n`, { mode: 0o600, flag: "wx" });
  return { keyring: createKeyring(masterKeyFromBase64(generated), others), generatedAt: file, source: "data-dir" };
}

function keyFilePath(dataDir: string): string {
  return path.join(dataDir, KEY_FILE);
}

function generateMasterKey(): string {
  return randomBytes(32).toString("base64");
}

/** The data directory's key file: one base64 key a line, the active key first. */
async function readKeyLines(file: string): Promise<string[]> {
  try {
    const text = await readFile(file, "utf8");
    return text.split("\n").map((line) => line.trim()).filter(Boolean);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/** Replaces the key file in one rename, so a crash leaves the old file or the new one, never half. */
async function replaceKeyFile(file: string, keys: string[]): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${keys.join("\n")}\n`, { mode: 0o600 });
  await rename(temporary, file);
}

/**
 * Embedded-default rotation, step 1: a new key becomes active and the old ones stay readable, so
 * the database opens whatever happens between this step and the last one.
 */
export async function addGeneratedKeyToDataDir(dataDir: string): Promise<void> {
  const file = keyFilePath(dataDir);
  const current = await readKeyLines(file);
  if (current.length === 0) throw new ConfigError(`${file} holds no master key to rotate from`);
  await replaceKeyFile(file, [generateMasterKey(), ...current]);
}

/** Embedded-default rotation, last step: once nothing is sealed under the old keys, drop them. */
export async function dropPreviousKeysFromDataDir(dataDir: string): Promise<void> {
  const file = keyFilePath(dataDir);
  const [active] = await readKeyLines(file);
  if (active) await replaceKeyFile(file, [active]);
}
