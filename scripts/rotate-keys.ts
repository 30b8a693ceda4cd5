/**
 * `npm run keys:rotate`: moves every stored secret's data key to the active master key.
 *
 * PostgreSQL (online): roll out CONSOLE_MASTER_KEY=<new> with CONSOLE_MASTER_KEY_PREVIOUS=<old> to
 * every process, run this with the same variables, then drop CONSOLE_MASTER_KEY_PREVIOUS.
 * Embedded default: stop the console (PGlite has one owner), run this; it generates the new key
 * into the data directory, re-wraps, and drops the old key.
 */
import "@/lib/debug-guard";
import { bootConsole } from "@/lib/boot";
import { addGeneratedKeyToDataDir, dropPreviousKeysFromDataDir } from "@/lib/crypto/master-key";
import { ConfigError, loadEnv } from "@/lib/env";
import { countSecretsUnderOldKeys, rewrapStoredSecrets } from "@/lib/server/key-rotation";

async function main(): Promise<void> {
  const env = loadEnv();
  const keyFileMode = !env.CONSOLE_MASTER_KEY && !env.DATABASE_URL;
  if (keyFileMode) await addGeneratedKeyToDataDir(env.CONSOLE_DATA_DIR);

  const booted = await bootConsole(env);
  try {
    const { rewrapped, activeKeyId } = await rewrapStoredSecrets();
    const remaining = await countSecretsUnderOldKeys();
    console.log(`Re-wrapped ${rewrapped} credential(s) under master key ${activeKeyId}; ${remaining} left under older keys.`);
    if (remaining > 0) {
      throw new ConfigError("Some secrets are still sealed under older keys (written concurrently?); run keys:rotate again.");
    }
    if (keyFileMode) {
      await dropPreviousKeysFromDataDir(env.CONSOLE_DATA_DIR);
      console.log("The data directory now holds only the new master key.");
    } else {
      console.log("Every process may now drop CONSOLE_MASTER_KEY_PREVIOUS.");
    }
  } finally {
    await booted.close();
  }
}

main().catch((error: unknown) => {
  console.error(`keys:rotate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
