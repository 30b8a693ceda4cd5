import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { ConfigError, type ConsoleEnv } from "@/lib/env";
import { masterKeyFromBase64, type MasterKey } from "@/lib/crypto/envelope";

const KEY_FILE = "master.key";
export const HOW_TO_MAKE_A_KEY = "node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64'))\"";

/** The master keys this process was given, before the database has been asked whether they fit. */
export interface ConfiguredKeys {
  /** The key that seals; null when the embedded default's key file is missing or empty. */
  active: MasterKey | null;
  /** Keys that open but never seal (CONSOLE_MASTER_KEY_ACCEPTED, older lines of the key file). */
  accepted: MasterKey[];
  /** Where the active key comes from: the environment, or the data directory's key file. */
  source: "env" | "data-dir";
  /** The data directory's key file (used only when source is "data-dir"). */
  keyFile: string;
}

/**
 * CONSOLE_MASTER_KEY wins. Without it, the embedded default keeps its keys in the data directory
 * (mode 0600) so `npm start` works out of the box; PostgreSQL deployments must set it, because a
 * key beside the app would sit on every replica's disk instead of in a secret store.
 * CONSOLE_MASTER_KEY_ACCEPTED (and its former name, CONSOLE_MASTER_KEY_PREVIOUS) adds keys that
 * open but never seal. Nothing is generated here: only the database can say whether a new key is
 * safe (see lib/server/master-keys.ts).
 */
export async function readConfiguredKeys(env: ConsoleEnv): Promise<ConfiguredKeys> {
  const fromEnv = [...env.CONSOLE_MASTER_KEY_ACCEPTED, ...env.CONSOLE_MASTER_KEY_PREVIOUS].map(masterKeyFromBase64);
  const keyFile = keyFilePath(env.CONSOLE_DATA_DIR);
  if (env.CONSOLE_MASTER_KEY) {
    return { active: masterKeyFromBase64(env.CONSOLE_MASTER_KEY), accepted: fromEnv, source: "env", keyFile };
  }
  if (env.DATABASE_URL) {
    throw new ConfigError(
      `CONSOLE_MASTER_KEY is required with DATABASE_URL (PostgreSQL). Make one with:\n  ${HOW_TO_MAKE_A_KEY}\n` +
        "and keep it in your secret store: the database alone must never yield a token.",
    );
  }
  const [active, ...older] = (await readKeyLines(keyFile)).map(masterKeyFromBase64);
  return { active: active ?? null, accepted: [...older, ...fromEnv], source: "data-dir", keyFile };
}

/** A new random key written into the data directory's (missing) key file; never overwrites one. */
export async function generateKeyIntoDataDir(keyFile: string): Promise<MasterKey> {
  await mkdir(path.dirname(keyFile), { recursive: true });
  const generated = generateMasterKey();
  await writeFile(keyFile, `${generated}\n`, { mode: 0o600, flag: "wx" });
  return masterKeyFromBase64(generated);
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
    return text
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
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
 * the database opens whatever happens between this step and the last one. A file that already
 * holds several keys is a rotation that did not finish: it is resumed with its active key rather
 * than given yet another one.
 */
export async function addGeneratedKeyToDataDir(dataDir: string): Promise<{ resumed: boolean }> {
  const file = keyFilePath(dataDir);
  const current = await readKeyLines(file);
  if (current.length === 0) throw new ConfigError(`${file} holds no master key to rotate from`);
  if (current.length > 1) return { resumed: true };
  await replaceKeyFile(file, [generateMasterKey(), ...current]);
  return { resumed: false };
}

/**
 * Embedded-default rotation, last step: drops every older key that no sealed row still needs
 * (`keepKeyIds`), so a row keys:rotate could not move stays readable.
 */
export async function dropPreviousKeysFromDataDir(dataDir: string, keepKeyIds: ReadonlySet<string> = new Set()): Promise<string[]> {
  const file = keyFilePath(dataDir);
  const [active, ...older] = await readKeyLines(file);
  if (!active) return [];
  const kept = older.filter((line) => keepKeyIds.has(masterKeyFromBase64(line).id));
  const dropped = older.filter((line) => !kept.includes(line)).map((line) => masterKeyFromBase64(line).id);
  await replaceKeyFile(file, [active, ...kept]);
  return dropped;
}
