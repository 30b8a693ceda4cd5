import type { Prisma, Vault } from "@/lib/generated/prisma/client";
import { notFound } from "@/lib/errors";

/**
 * Locks the vault row for the rest of the transaction. Every change that depends on a vault's
 * state (its credential count, whether it is archived) takes this lock first, so those rules hold
 * across concurrent requests and across processes sharing one PostgreSQL.
 */
export async function lockVault(tx: Prisma.TransactionClient, vaultId: string): Promise<Vault> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM vaults WHERE id = ${vaultId} FOR UPDATE`;
  const vault = locked.length > 0 ? await tx.vault.findUnique({ where: { id: vaultId } }) : null;
  if (!vault) throw notFound("Vault", vaultId);
  return vault;
}

/** What archiving does to a credential row: the secret is destroyed and its unique slots freed. */
export function purgedCredentialFields(now: Date) {
  return {
    archivedAt: now,
    updatedAt: now,
    secretCiphertext: null,
    refreshTokenCiphertext: null,
    clientSecretCiphertext: null,
    secretKeyId: null,
    activeMcpServerUrlKey: null,
    activeSecretName: null,
    activeLlmSlot: null,
  } satisfies Prisma.VaultCredentialUpdateManyMutationInput;
}
