import type { Prisma, VaultCredential } from "@/lib/generated/prisma/client";
import { rewrapSecret, sealSecret } from "@/lib/crypto/envelope";
import { getRuntime } from "@/lib/runtime";

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
  const { keyring } = getRuntime();
  const sealed: Prisma.VaultCredentialUpdateInput = { secretKeyId: keyring.active.id };
  for (const [field, column] of Object.entries(SECRET_COLUMNS) as [SecretField, (typeof SECRET_COLUMNS)[SecretField]][]) {
    const context = `${credentialId}:${field}`;
    const change = changes[field];
    const current = existing?.[column];
    if (change !== undefined) {
      sealed[column] = change === null ? null : sealSecret(change, keyring, context).ciphertext;
    } else if (current && existing?.secretKeyId && existing.secretKeyId !== keyring.active.id) {
      sealed[column] = rewrapSecret(current, existing.secretKeyId, keyring, context).ciphertext;
    }
  }
  return sealed;
}

