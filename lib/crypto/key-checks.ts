import { createKeyring, DecryptionError, openSecret, sealSecret, type Keyring, type MasterKey } from "@/lib/crypto/envelope";

/**
 * Key-check rows: one constant sealed under each master key a database has been used with. A key
 * id is a fingerprint of the key, so a loaded key that opens its check row is the key the sealed
 * rows name; and a database holding check rows has been used with a key, so a fresh one must never
 * be generated for it.
 */
const CHECK_PLAINTEXT = "managed-agents-console master key check v1";

function checkContext(keyId: string): string {
  return `master_key_check:${keyId}`;
}

export function sealKeyCheck(key: MasterKey): Uint8Array<ArrayBuffer> {
  return sealSecret(CHECK_PLAINTEXT, createKeyring(key), checkContext(key.id)).ciphertext;
}

export function keyOpensCheck(key: MasterKey, check: Uint8Array): boolean {
  try {
    return openSecret(check, key.id, createKeyring(key), checkContext(key.id)) === CHECK_PLAINTEXT;
  } catch (error) {
    if (error instanceof DecryptionError) return false;
    throw error;
  }
}

export interface KeyCheckRow {
  keyId: string;
  check: Uint8Array;
}

export interface MissingKey {
  keyId: string;
  /** How many sealed rows name it. */
  rows: number;
}

export interface KeyringAudit {
  /** Key ids that sealed rows name but the keyring does not hold. */
  missing: MissingKey[];
  /** Loaded keys that fail to open their own check row: the row is damaged or was forged. */
  failedChecks: string[];
  /** Loaded keys without a check row yet; boot records one for each. */
  unrecorded: MasterKey[];
}

/** Compares what the process holds with what the database needs; decides nothing by itself. */
export function auditKeyring(keyring: Keyring, sealedRowsByKeyId: ReadonlyMap<string, number>, checks: readonly KeyCheckRow[]): KeyringAudit {
  const missing = [...sealedRowsByKeyId]
    .filter(([keyId, rows]) => rows > 0 && !keyring.byId.has(keyId))
    .map(([keyId, rows]) => ({ keyId, rows }))
    .sort((a, b) => a.keyId.localeCompare(b.keyId));
  const checkById = new Map(checks.map((row) => [row.keyId, row.check]));
  const failedChecks: string[] = [];
  const unrecorded: MasterKey[] = [];
  for (const key of keyring.byId.values()) {
    const check = checkById.get(key.id);
    if (!check) unrecorded.push(key);
    else if (!keyOpensCheck(key, check)) failedChecks.push(key.id);
  }
  return { missing, failedChecks, unrecorded };
}

/** "mk_a (active), mk_b (accepted)": which keys this process holds, by id only. */
export function describeLoadedKeys(keyring: Keyring): string {
  return [...keyring.byId.values()].map((key) => `${key.id} (${key.id === keyring.active.id ? "active" : "accepted"})`).join(", ");
}

function describeMissing(missing: readonly MissingKey[]): string {
  return missing.map(({ keyId, rows }) => `${keyId} (${rows} sealed row${rows === 1 ? "" : "s"})`).join(", ");
}

/** What an operator does to load a key, for messages at boot and at run time alike. */
export function howToLoadKey(keyFile?: string): string {
  const restore = keyFile ? `, or restore it into ${keyFile} (one base64 key a line, the active key first)` : "";
  return (
    "set CONSOLE_MASTER_KEY to that key, or add it to CONSOLE_MASTER_KEY_ACCEPTED (comma list) on every " +
    `console process while another key is active${restore}, then restart`
  );
}

/** The refusal at boot when sealed rows name a key this process does not hold. */
export function missingKeysMessage(missing: readonly MissingKey[], keyring: Keyring, keyFile?: string): string {
  return (
    `Stored secrets are sealed under master key${missing.length === 1 ? "" : "s"} ${describeMissing(missing)}, ` +
    `which this process has not loaded (it holds ${describeLoadedKeys(keyring)}). Starting anyway would answer ` +
    "those secrets with errors and seal new ones under a key the rest of the database does not use. " +
    `To start: ${howToLoadKey(keyFile)}. (If that key is lost for good, \`npm run keys:rotate\` lists the ` +
    "rows sealed under it; their secrets cannot be recovered.)"
  );
}

/** The refusal at boot when a loaded key fails to open its own check row. */
export function failedChecksMessage(keyIds: readonly string[]): string {
  return (
    `Master key ${keyIds.join(", ")} does not open its key-check row in master_key_checks: the row is damaged or ` +
    "was written by someone else. Restore the table from a backup (or delete that row if you trust the key), then restart."
  );
}

/** The refusal when the embedded default's key file is gone but the database was used with a key. */
export function lostKeyFileMessage(keyFile: string, sealedKeyIds: readonly MissingKey[], checkedKeyIds: readonly string[]): string {
  const what =
    sealedKeyIds.length > 0
      ? `holds secrets sealed under master key ${describeMissing(sealedKeyIds)}`
      : `was used with master key ${checkedKeyIds.join(", ")} (see master_key_checks)`;
  return (
    `${keyFile} is missing or empty, but the database ${what}. A new key is never generated into such a ` +
    `database: it could not open what is stored and would seal new secrets under a key nobody else has. ` +
    `Restore ${keyFile} from your backup (one base64 key a line, the active key first), or set CONSOLE_MASTER_KEY ` +
    "(and CONSOLE_MASTER_KEY_ACCEPTED) to the key(s) named, then start again." +
    (sealedKeyIds.length > 0 ? "" : " No secret is sealed under it, so if that key is lost for good a new CONSOLE_MASTER_KEY starts the console too.")
  );
}
