import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * Envelope encryption for stored secrets. Each secret gets its own random data key (DEK); the
 * secret is sealed with AES-256-GCM under the DEK, and the DEK is sealed under the master key
 * (KEK). The KEK's id is stored beside each row, so the master key can be rotated online by
 * re-wrapping DEKs without touching the secrets themselves.
 *
 * Blob layout (version 1):
 *   [1 version][12 wrap iv][32 wrapped dek][16 wrap tag][12 iv][16 tag][ciphertext…]
 */
const VERSION = 1;
const IV_LENGTH = 12;
const TAG_LENGTH = 16;
const KEY_LENGTH = 32;
const HEADER_LENGTH = 1 + IV_LENGTH + KEY_LENGTH + TAG_LENGTH + IV_LENGTH + TAG_LENGTH;

export interface MasterKey {
  id: string;
  key: Buffer;
}

/** Master keys by id: the active one seals, any of them opens (during a rotation). */
export interface Keyring {
  active: MasterKey;
  byId: ReadonlyMap<string, MasterKey>;
}

export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DecryptionError";
  }
}

/**
 * The row names a master key this process does not hold: an operator's mistake (a key not rolled
 * out yet, or retired too early), not a damaged row, so callers answer it with what to load.
 */
export class MasterKeyNotLoadedError extends DecryptionError {
  constructor(readonly keyId: string) {
    super(`Stored secret is sealed with master key ${keyId}, which is not loaded`);
    this.name = "MasterKeyNotLoadedError";
  }
}

/** A stable, non-secret fingerprint of a master key. */
export function masterKeyId(key: Buffer): string {
  return `mk_${createHash("sha256").update("managed-agents-console/kek-id").update(key).digest("hex").slice(0, 16)}`;
}

export function masterKeyFromBase64(encoded: string): MasterKey {
  const key = Buffer.from(encoded, "base64");
  if (key.length !== KEY_LENGTH) throw new Error("A master key must be 32 bytes");
  return { id: masterKeyId(key), key };
}

export function createKeyring(active: MasterKey, others: MasterKey[] = []): Keyring {
  const byId = new Map<string, MasterKey>();
  for (const key of [active, ...others]) byId.set(key.id, key);
  return { active, byId };
}

function seal(key: Buffer, plaintext: Buffer, aad: string): { iv: Buffer; tag: Buffer; ciphertext: Buffer } {
  const iv = randomBytes(IV_LENGTH);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ciphertext };
}

function open(key: Buffer, iv: Buffer, tag: Buffer, ciphertext: Buffer, aad: string): Buffer {
  const decipher = createDecipheriv("aes-256-gcm", key, iv);
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

/**
 * Seals `plaintext`. `context` is bound as associated data (the owning row's id), so a ciphertext
 * copied onto another row fails to open instead of yielding that row a foreign secret.
 */
export function sealSecret(plaintext: string, keyring: Keyring, context: string): { ciphertext: Uint8Array<ArrayBuffer>; keyId: string } {
  const { active } = keyring;
  const dataKey = randomBytes(KEY_LENGTH);
  try {
    const wrapped = seal(active.key, dataKey, `dek:${active.id}:${context}`);
    const sealed = seal(dataKey, Buffer.from(plaintext, "utf8"), `secret:${context}`);
    const blob = Buffer.concat([Buffer.from([VERSION]), wrapped.iv, wrapped.ciphertext, wrapped.tag, sealed.iv, sealed.tag, sealed.ciphertext]);
    return { ciphertext: Uint8Array.from(blob), keyId: active.id };
  } finally {
    dataKey.fill(0);
  }
}

interface ParsedBlob {
  wrapIv: Buffer;
  wrappedKey: Buffer;
  wrapTag: Buffer;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

function parseBlob(blob: Uint8Array): ParsedBlob {
  const buffer = Buffer.from(blob);
  if (buffer.length < HEADER_LENGTH || buffer[0] !== VERSION) {
    throw new DecryptionError("Stored secret has an unknown format");
  }
  let offset = 1;
  const take = (length: number) => buffer.subarray(offset, (offset += length));
  return {
    wrapIv: take(IV_LENGTH),
    wrappedKey: take(KEY_LENGTH),
    wrapTag: take(TAG_LENGTH),
    iv: take(IV_LENGTH),
    tag: take(TAG_LENGTH),
    ciphertext: buffer.subarray(offset),
  };
}

function unwrapDataKey(parts: ParsedBlob, keyId: string, keyring: Keyring, context: string): Buffer {
  const master = keyring.byId.get(keyId);
  if (!master) throw new MasterKeyNotLoadedError(keyId);
  try {
    return open(master.key, parts.wrapIv, parts.wrapTag, parts.wrappedKey, `dek:${keyId}:${context}`);
  } catch {
    throw new DecryptionError("Stored secret failed authentication (tampered, or sealed for another row)");
  }
}

export function openSecret(blob: Uint8Array, keyId: string, keyring: Keyring, context: string): string {
  const parts = parseBlob(blob);
  const dataKey = unwrapDataKey(parts, keyId, keyring, context);
  try {
    return open(dataKey, parts.iv, parts.tag, parts.ciphertext, `secret:${context}`).toString("utf8");
  } catch {
    throw new DecryptionError("Stored secret failed authentication (tampered, or sealed for another row)");
  } finally {
    dataKey.fill(0);
  }
}

/** Re-wraps the data key under the keyring's active master key; the sealed secret is unchanged. */
export function rewrapSecret(blob: Uint8Array, keyId: string, keyring: Keyring, context: string): { ciphertext: Uint8Array<ArrayBuffer>; keyId: string } {
  const parts = parseBlob(blob);
  const dataKey = unwrapDataKey(parts, keyId, keyring, context);
  try {
    const { active } = keyring;
    const wrapped = seal(active.key, dataKey, `dek:${active.id}:${context}`);
    const ciphertext = Buffer.concat([Buffer.from([VERSION]), wrapped.iv, wrapped.ciphertext, wrapped.tag, parts.iv, parts.tag, parts.ciphertext]);
    return { ciphertext: Uint8Array.from(ciphertext), keyId: active.id };
  } finally {
    dataKey.fill(0);
  }
}
