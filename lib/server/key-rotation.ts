import { DecryptionError } from "@/lib/crypto/envelope";
import { db } from "@/lib/instances";
import { ConsoleError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { keyring } from "@/lib/instances";
import { recordAudit, SYSTEM_CONTEXT } from "@/lib/server/audit";
import { sealChanges } from "@/lib/server/credential-secrets";
import { sealedRowsByKeyId } from "@/lib/server/master-keys";
import { transaction } from "@/lib/server/transaction";

const BATCH_SIZE = 100;
/** Rows a request held locked, or sealed under an old key meanwhile, get this many more tries. */
const MAX_PASSES = 3;
/** How many rows left behind the report (and its audit entry) names one by one. */
const REPORTED_ROWS = 100;

export interface RowLeftBehind {
  credentialId: string;
  keyId: string;
  reason: string;
}

export interface RewrapReport {
  activeKeyId: string;
  rewrapped: number;
  /** Rows still sealed under another key after the run, with why (at most REPORTED_ROWS of them). */
  left: RowLeftBehind[];
  /** How many rows are still sealed under another key (may exceed left.length). */
  leftCount: number;
}

type Outcome = { rewrapped: true } | { rewrapped: false; reason: string } | null;

/** Why a row cannot be re-wrapped here: its key is not loaded, or its blob does not open. */
function reasonFor(error: unknown): string | null {
  if (error instanceof ConsoleError && error.details?.error_code === "master_key_missing") {
    return `sealed under master key ${String(error.details.key_id)}, which is not loaded: add it to CONSOLE_MASTER_KEY_ACCEPTED and run again (or archive the credential if that key is lost)`;
  }
  if (error instanceof DecryptionError) return `does not open (${error.message}): archive the credential and add its secret again`;
  return null;
}

/** One row, under its row lock; null when a request holds the lock or another run moved it already. */
async function rewrapRow(tx: Prisma.TransactionClient, id: string, activeKeyId: string): Promise<Outcome> {
  const locked = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM vault_credentials
    WHERE id = ${id} AND secret_key_id IS NOT NULL AND secret_key_id <> ${activeKeyId}
    FOR UPDATE SKIP LOCKED`;
  if (locked.length === 0) return null;
  const credential = await tx.vaultCredential.findUniqueOrThrow({ where: { id } });
  let data: Prisma.VaultCredentialUpdateInput;
  try {
    data = sealChanges(id, {}, credential);
  } catch (error) {
    const reason = reasonFor(error);
    if (reason === null) throw error;
    return { rewrapped: false, reason };
  }
  await tx.vaultCredential.update({ where: { id }, data });
  return { rewrapped: true };
}

/**
 * Re-wraps every stored secret whose data key is sealed under a master key other than the active
 * one. Secrets are never decrypted: only their data keys move to the new master key. Batches
 * commit one by one with row locks (SKIP LOCKED), so it is safe while consoles serve requests and
 * never stops halfway: a row it cannot open is skipped and reported, a batch that fails is retried
 * on the next pass, and what is left at the end is reported with the reason.
 */
export async function rewrapStoredSecrets(): Promise<RewrapReport> {
  const activeKeyId = keyring().active.id;
  const unopenable = new Map<string, string>();
  let rewrapped = 0;
  for (let pass = 1; pass <= MAX_PASSES; pass++) {
    let after = "";
    let movedThisPass = 0;
    for (;;) {
      const page = await db().$queryRaw<{ id: string }[]>`
        SELECT id FROM vault_credentials
        WHERE secret_key_id IS NOT NULL AND secret_key_id <> ${activeKeyId} AND id > ${after}
        ORDER BY id LIMIT ${BATCH_SIZE}`;
      const last = page.at(-1);
      if (!last) break;
      after = last.id;
      const candidates = page.map((row) => row.id).filter((id) => !unopenable.has(id));
      if (candidates.length === 0) continue;
      try {
        const outcomes = await transaction(async (tx) => {
          const results: [string, Outcome][] = [];
          for (const id of candidates) results.push([id, await rewrapRow(tx, id, activeKeyId)]);
          return results;
        });
        for (const [id, outcome] of outcomes) {
          if (outcome?.rewrapped) movedThisPass++;
          else if (outcome) unopenable.set(id, outcome.reason);
        }
      } catch (error) {
        // Only this batch is lost; the next pass tries its rows again, and the report names them.
        console.error(
          `keys:rotate: a batch of ${candidates.length} rows failed and will be retried: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    rewrapped += movedThisPass;
    if ((await countSecretsUnderOldKeys()) <= unopenable.size) break;
    // Rows a request held locked are free again in a moment.
    await new Promise((wake) => setTimeout(wake, 200));
  }

  const leftRows = await db().vaultCredential.findMany({
    where: { secretKeyId: { not: null }, NOT: { secretKeyId: activeKeyId } },
    select: { id: true, secretKeyId: true },
    orderBy: { id: "asc" },
    take: REPORTED_ROWS,
  });
  const leftCount = await countSecretsUnderOldKeys();
  const left = leftRows.map((row) => ({
    credentialId: row.id,
    keyId: row.secretKeyId ?? "",
    reason:
      unopenable.get(row.id) ??
      "still sealed under an older key (locked by a request throughout, or sealed again by a process whose active key is still the old one: finish step (b) everywhere), run keys:rotate again",
  }));
  await transaction((tx) =>
    recordAudit(tx, SYSTEM_CONTEXT, {
      action: "master_key.rotate",
      resourceType: "master_key",
      resourceId: activeKeyId,
      details: { rewrapped_credentials: rewrapped, left_credentials: leftCount, left_credential_ids: left.map((row) => row.credentialId) },
    }),
  );
  return { activeKeyId, rewrapped, left, leftCount };
}

/** How many stored secrets are still sealed under a master key other than the active one. */
export async function countSecretsUnderOldKeys(): Promise<number> {
  return db().vaultCredential.count({
    where: { secretKeyId: { not: null }, NOT: { secretKeyId: keyring().active.id } },
  });
}

/** The key ids sealed rows still name (credentials and the egress CA), so the embedded key file keeps exactly those. */
export async function keyIdsInUse(): Promise<Set<string>> {
  return new Set((await sealedRowsByKeyId(db())).keys());
}
