/**
 * `npm run keys:rotate`: moves every stored secret's data key to the active master key, and says
 * which rows it could not move and why. Exits non-zero while anything is left under an older key.
 *
 * PostgreSQL (online, several processes): (a) add the new key to CONSOLE_MASTER_KEY_ACCEPTED on
 * every process; (b) make it CONSOLE_MASTER_KEY and move the old one to CONSOLE_MASTER_KEY_ACCEPTED,
 * everywhere; (c) run this with the same variables; (d) once it reports nothing left, drop the old
 * key from CONSOLE_MASTER_KEY_ACCEPTED.
 * Embedded default: stop the console (PGlite has one owner) and run this; it generates the new key
 * into the data directory, re-wraps, and drops every old key no row needs any more.
 */
import "@/lib/debug-guard";
import { bootConsole } from "@/lib/boot";
import { addGeneratedKeyToDataDir, dropPreviousKeysFromDataDir } from "@/lib/crypto/master-key";
import { loadEnv } from "@/lib/env";
import { rewrapEgressAuthorities } from "@/lib/server/egress-authority";
import { keyIdsInUse, rewrapStoredSecrets } from "@/lib/server/key-rotation";

async function main(): Promise<number> {
  const env = loadEnv();
  const keyFileMode = !env.CONSOLE_MASTER_KEY && !env.DATABASE_URL;
  if (keyFileMode) {
    const { resumed } = await addGeneratedKeyToDataDir(env.CONSOLE_DATA_DIR);
    if (resumed) console.log("The data directory's key file already holds a newer key: resuming that rotation.");
  }

  // Rows under a key this process lacks do not stop it: they are what it must report.
  const booted = await bootConsole(env, () => undefined, { allowMissingKeys: true });
  try {
    for (const { keyId, rows } of booted.missingMasterKeys) {
      console.log(`Master key ${keyId} is not loaded: ${rows} row(s) sealed under it cannot be re-wrapped.`);
    }
    const report = await rewrapStoredSecrets();
    console.log(`Re-wrapped ${report.rewrapped} credential(s) under master key ${report.activeKeyId}; ${report.leftCount} left under older keys.`);
    for (const row of report.left) console.log(`  left: credential ${row.credentialId} (master key ${row.keyId}): ${row.reason}`);
    if (report.leftCount > report.left.length) console.log(`  … and ${report.leftCount - report.left.length} more`);
    // The egress CA's key: one row, whose old key must be loaded (the boot refuses to start otherwise).
    const movedAuthorities = await rewrapEgressAuthorities();
    if (movedAuthorities > 0) console.log(`Re-wrapped the egress CA's key under master key ${report.activeKeyId}.`);

    if (keyFileMode) {
      const dropped = await dropPreviousKeysFromDataDir(env.CONSOLE_DATA_DIR, await keyIdsInUse());
      if (dropped.length > 0) console.log(`Dropped master key(s) ${dropped.join(", ")} from the data directory's key file.`);
      if (report.leftCount > 0) console.log("The key file keeps every older key a row still needs; run keys:rotate again once they are dealt with.");
    } else if (report.leftCount === 0) {
      console.log("Nothing is sealed under an older key any more: every process may now drop the old key from CONSOLE_MASTER_KEY_ACCEPTED.");
    } else {
      console.log("Keep the older keys in CONSOLE_MASTER_KEY_ACCEPTED until keys:rotate reports nothing left.");
    }
    return report.leftCount > 0 ? 1 : 0;
  } finally {
    await booted.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`keys:rotate failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
