import { db } from "@/lib/db";
import { getRuntime } from "@/lib/runtime";
import { recordAudit, SYSTEM_CONTEXT } from "@/lib/server/audit";
import { sealChanges } from "@/lib/server/credential-secrets";
import { transaction } from "@/lib/server/transaction";

const BATCH_SIZE = 100;

/**
 * Re-wraps every stored secret whose data key is sealed under a master key other than the active
 * one. Secrets are never decrypted: only their data keys move to the new master key. Runs in small
 * batches with row locks (SKIP LOCKED), so it is safe while the console serves requests.
 */
export async function rewrapStoredSecrets(): Promise<{ rewrapped: number; activeKeyId: string }> {
  const activeKeyId = getRuntime().keyring.active.id;
  let rewrapped = 0;
  for (;;) {
    const batch = await transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM vault_credentials
        WHERE secret_key_id IS NOT NULL AND secret_key_id <> ${activeKeyId}
        ORDER BY id LIMIT ${BATCH_SIZE} FOR UPDATE SKIP LOCKED`;
      for (const { id } of rows) {
        const credential = await tx.vaultCredential.findUniqueOrThrow({ where: { id } });
        await tx.vaultCredential.update({ where: { id }, data: sealChanges(id, {}, credential) });
      }
      return rows.length;
    });
    rewrapped += batch;
    if (batch < BATCH_SIZE) break;
  }
  await transaction((tx) =>
    recordAudit(tx, SYSTEM_CONTEXT, {
      action: "master_key.rotate",
      resourceType: "master_key",
      resourceId: activeKeyId,
      details: { rewrapped_credentials: rewrapped },
    }),
  );
  return { rewrapped, activeKeyId };
}

/** How many stored secrets are still sealed under a master key other than the active one. */
export async function countSecretsUnderOldKeys(): Promise<number> {
  return db().vaultCredential.count({
    where: { secretKeyId: { not: null }, NOT: { secretKeyId: getRuntime().keyring.active.id } },
  });
}
