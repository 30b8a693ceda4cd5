import type { Prisma, VaultCredential } from "@/lib/generated/prisma/client";
import { MasterKeyNotLoadedError, openSecret, rewrapSecret, sealSecret } from "@/lib/crypto/envelope";
import { howToLoadKey } from "@/lib/crypto/key-checks";
import { ConsoleError } from "@/lib/errors";
import { keyring } from "@/lib/instances";

// No `server-only` marker: the master key rotation (scripts/rotate-keys.ts) runs outside Next.

/** The three sealed fields of a credential row, by the name used as their associated data. */
export const SECRET_COLUMNS = {
  secret: "secretCiphertext",
  refresh_token: "refreshTokenCiphertext",
  client_secret: "clientSecretCiphertext",
} as const;
export type SecretField = keyof typeof SECRET_COLUMNS;
export type SecretChanges = Partial<Record<SecretField, string | null>>;

/**
 * Seals the changed secret fields under the active master key. Unchanged blobs sealed under an
 * older key are re-wrapped (their data key only; the secret itself is never decrypted), so one
 * key id describes the whole row.
 */
export function sealChanges(credentialId: string, changes: SecretChanges, existing?: VaultCredential): Prisma.VaultCredentialUpdateInput {
  const keys = keyring();
  const sealed: Prisma.VaultCredentialUpdateInput = { secretKeyId: keys.active.id };
  const previousKeyId = existing?.secretKeyId;
  for (const [field, column] of Object.entries(SECRET_COLUMNS) as [SecretField, (typeof SECRET_COLUMNS)[SecretField]][]) {
    const context = `${credentialId}:${field}`;
    const change = changes[field];
    const current = existing?.[column];
    if (change !== undefined) {
      sealed[column] = change === null ? null : sealSecret(change, keys, context).ciphertext;
    } else if (current && previousKeyId && previousKeyId !== keys.active.id) {
      sealed[column] = withLoadedKey(credentialId, () => rewrapSecret(current, previousKeyId, keys, context).ciphertext);
    }
  }
  return sealed;
}

/** The sealed columns of a new credential: each given field sealed under the active master key. */
export interface SealedColumns {
  secretKeyId: string;
  secretCiphertext: Uint8Array<ArrayBuffer>;
  refreshTokenCiphertext: Uint8Array<ArrayBuffer> | null;
  clientSecretCiphertext: Uint8Array<ArrayBuffer> | null;
}

export function sealNew(credentialId: string, secrets: SecretChanges & { secret: string }): SealedColumns {
  const keys = keyring();
  const seal = (field: SecretField) => {
    const value = secrets[field];
    return value == null ? null : sealSecret(value, keys, `${credentialId}:${field}`).ciphertext;
  };
  return {
    secretKeyId: keys.active.id,
    secretCiphertext: sealSecret(secrets.secret, keys, `${credentialId}:secret`).ciphertext,
    refreshTokenCiphertext: seal("refresh_token"),
    clientSecretCiphertext: seal("client_secret"),
  };
}

/**
 * The answer when a row is sealed under a master key this process lacks: during a rolling
 * rotation another process may seal under a key not rolled out here yet. It is the operators' to
 * fix, not the caller's, and no secret is lost, so it is a 503 that names the key (never a bare 500).
 */
export function masterKeyMissing(keyId: string, credentialId: string): ConsoleError {
  return new ConsoleError(
    "api_error",
    `The secret of credential ${credentialId} is sealed under master key ${keyId}, which this console process has not loaded. ` +
      `Operators: ${howToLoadKey()}; a key must be accepted everywhere before any process makes it active (see the README's master key rotation).`,
    { status: 503, details: { error_code: "master_key_missing", key_id: keyId, credential_id: credentialId } },
  );
}

function withLoadedKey<T>(credentialId: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof MasterKeyNotLoadedError) throw masterKeyMissing(error.keyId, credentialId);
    throw error;
  }
}

/** Opens one sealed field of a credential for the credential boundary or a connection test. */
export function openCredentialSecret(credential: { id: string; secretKeyId: string }, blob: Uint8Array, field: SecretField = "secret"): string {
  return withLoadedKey(credential.id, () => openSecret(blob, credential.secretKeyId, keyring(), `${credential.id}:${field}`));
}
