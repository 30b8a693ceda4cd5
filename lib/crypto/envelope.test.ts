import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createKeyring, DecryptionError, masterKeyFromBase64, masterKeyId, openSecret, rewrapSecret, sealSecret, type MasterKey } from "@/lib/crypto/envelope";

function newMasterKey(): MasterKey {
  return masterKeyFromBase64(randomBytes(32).toString("base64"));
}

const CONTEXT = "vcrd_0123456789abcdefABCDEF";
const SECRET = "sk-ant-api03-test-secret-value-0123456789";

function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(haystack).indexOf(Buffer.from(needle)) !== -1;
}

describe("sealSecret / openSecret", () => {
  const keyring = createKeyring(newMasterKey());

  it.each([
    ["ascii", SECRET],
    ["unicode", "päss wörd 🔑 密钥 — ∑"],
    ["8192 characters", "x".repeat(8191) + "y"],
    ["a single character", "a"],
  ])("round-trips a %s secret", (_label, plaintext) => {
    const sealed = sealSecret(plaintext, keyring, CONTEXT);
    expect(sealed.keyId).toBe(keyring.active.id);
    expect(openSecret(sealed.ciphertext, sealed.keyId, keyring, CONTEXT)).toBe(plaintext);
  });

  it("produces a different ciphertext each time for the same plaintext", () => {
    const first = sealSecret(SECRET, keyring, CONTEXT);
    const second = sealSecret(SECRET, keyring, CONTEXT);
    expect(Buffer.from(first.ciphertext).equals(Buffer.from(second.ciphertext))).toBe(false);
  });

  it("never stores the plaintext bytes in the blob", () => {
    const sealed = sealSecret(SECRET, keyring, CONTEXT);
    expect(containsBytes(sealed.ciphertext, Buffer.from(SECRET, "utf8"))).toBe(false);
    // Also no recognisable fragment of it.
    expect(containsBytes(sealed.ciphertext, Buffer.from(SECRET.slice(0, 8), "utf8"))).toBe(false);
  });

  it("refuses to open under another context (associated data)", () => {
    const sealed = sealSecret(SECRET, keyring, CONTEXT);
    expect(() => openSecret(sealed.ciphertext, sealed.keyId, keyring, "vcrd_someOtherRow")).toThrow(DecryptionError);
  });

  it("refuses a blob with any single byte flipped", () => {
    const sealed = sealSecret("short secret", keyring, CONTEXT);
    const failures: number[] = [];
    for (let position = 0; position < sealed.ciphertext.length; position += 1) {
      const tampered = Uint8Array.from(sealed.ciphertext);
      tampered[position] = (tampered[position] ?? 0) ^ 0x01;
      try {
        openSecret(tampered, sealed.keyId, keyring, CONTEXT);
        failures.push(position);
      } catch (error) {
        if (!(error instanceof DecryptionError)) failures.push(position);
      }
    }
    expect(failures).toEqual([]);
  });

  it("names the missing master key when the key id is not loaded", () => {
    const sealed = sealSecret(SECRET, keyring, CONTEXT);
    const unknownId = masterKeyId(randomBytes(32));
    expect(() => openSecret(sealed.ciphertext, unknownId, keyring, CONTEXT)).toThrow(DecryptionError);
    expect(() => openSecret(sealed.ciphertext, unknownId, keyring, CONTEXT)).toThrow(unknownId);
  });

  it("refuses a blob sealed under a key the keyring does not hold", () => {
    const sealed = sealSecret(SECRET, createKeyring(newMasterKey()), CONTEXT);
    expect(() => openSecret(sealed.ciphertext, sealed.keyId, keyring, CONTEXT)).toThrow(/not loaded/);
  });

  it.each([0, 1, 60, 88, 89])("refuses a blob truncated to %i bytes", (length) => {
    const sealed = sealSecret(SECRET, keyring, CONTEXT);
    expect(() => openSecret(sealed.ciphertext.slice(0, length), sealed.keyId, keyring, CONTEXT)).toThrow(DecryptionError);
  });

  it("refuses a blob with its last byte cut off", () => {
    const sealed = sealSecret(SECRET, keyring, CONTEXT);
    const truncated = sealed.ciphertext.slice(0, sealed.ciphertext.length - 1);
    expect(() => openSecret(truncated, sealed.keyId, keyring, CONTEXT)).toThrow(DecryptionError);
  });
});

describe("rewrapSecret", () => {
  it("moves a secret to the new active key so that only the new key is needed to open it", () => {
    const oldKey = newMasterKey();
    const newKey = newMasterKey();
    const sealed = sealSecret(SECRET, createKeyring(oldKey), CONTEXT);

    const rewrapped = rewrapSecret(sealed.ciphertext, sealed.keyId, createKeyring(newKey, [oldKey]), CONTEXT);

    expect(rewrapped.keyId).toBe(newKey.id);
    expect(rewrapped.keyId).not.toBe(oldKey.id);
    expect(openSecret(rewrapped.ciphertext, rewrapped.keyId, createKeyring(newKey), CONTEXT)).toBe(SECRET);
    expect(() => openSecret(rewrapped.ciphertext, oldKey.id, createKeyring(oldKey), CONTEXT)).toThrow(DecryptionError);
  });

  it("fails when the old key is no longer in the keyring", () => {
    const oldKey = newMasterKey();
    const newKey = newMasterKey();
    const sealed = sealSecret(SECRET, createKeyring(oldKey), CONTEXT);
    expect(() => rewrapSecret(sealed.ciphertext, sealed.keyId, createKeyring(newKey), CONTEXT)).toThrow(DecryptionError);
  });

  it("fails under the wrong context", () => {
    const oldKey = newMasterKey();
    const sealed = sealSecret(SECRET, createKeyring(oldKey), CONTEXT);
    expect(() => rewrapSecret(sealed.ciphertext, sealed.keyId, createKeyring(newMasterKey(), [oldKey]), "vcrd_someOtherRow")).toThrow(DecryptionError);
  });
});

describe("master keys", () => {
  it("derives a stable id that differs per key", () => {
    const key = randomBytes(32);
    expect(masterKeyId(key)).toBe(masterKeyId(Buffer.from(key)));
    expect(masterKeyId(key)).toMatch(/^mk_[0-9a-f]{16}$/);
    expect(masterKeyId(key)).not.toBe(masterKeyId(randomBytes(32)));
  });

  it("does not reveal the key in its id", () => {
    const key = randomBytes(32);
    expect(masterKeyId(key)).not.toContain(key.toString("hex").slice(0, 16));
  });

  it("accepts only 32-byte base64 master keys", () => {
    const encoded = randomBytes(32).toString("base64");
    expect(masterKeyFromBase64(encoded).key).toHaveLength(32);
    expect(masterKeyFromBase64(encoded).id).toBe(masterKeyId(Buffer.from(encoded, "base64")));
    expect(() => masterKeyFromBase64(randomBytes(16).toString("base64"))).toThrow(/32 bytes/);
    expect(() => masterKeyFromBase64("")).toThrow(/32 bytes/);
  });
});
