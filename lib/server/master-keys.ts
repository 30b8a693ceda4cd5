// No `server-only` marker: boot (scripts/start.ts) and keys:rotate run this outside Next.
import { createKeyring, type Keyring } from "@/lib/crypto/envelope";
import { auditKeyring, failedChecksMessage, lostKeyFileMessage, missingKeysMessage, sealKeyCheck, type MissingKey } from "@/lib/crypto/key-checks";
import { generateKeyIntoDataDir, type ConfiguredKeys } from "@/lib/crypto/master-key";
import { ConfigError } from "@/lib/env";
import type { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * How many live sealed rows name each master key. Every table with sealed columns belongs here;
 * the credentials' one key id per row (archiving clears it with the blobs) and the egress CA's key.
 */
export async function sealedRowsByKeyId(prisma: PrismaClient): Promise<Map<string, number>> {
  const rows = await prisma.$queryRaw<{ key_id: string; row_count: number }[]>`
    SELECT key_id, count(*)::int AS row_count FROM (
      SELECT secret_key_id AS key_id FROM vault_credentials WHERE secret_key_id IS NOT NULL
      UNION ALL
      SELECT secret_key_id FROM egress_authorities WHERE secret_key_id IS NOT NULL
    ) sealed GROUP BY key_id`;
  return new Map(rows.map((row) => [row.key_id, Number(row.row_count)]));
}

export interface LoadedKeyring {
  keyring: Keyring;
  /** Where a key was generated on this start (embedded default, on a database that never held one). */
  generatedAt?: string;
  /** Keys sealed rows name that this process lacks; only keys:rotate boots with any (to report them). */
  missing: MissingKey[];
}

/**
 * Turns the configured keys into the process's keyring, after migrations, because only the
 * database can tell whether they fit: every key id a sealed row names must be loaded, each loaded
 * key must open its key-check row, and a key is generated only into a database that never held a
 * sealed row or a key check. Then each loaded key gets its check row (idempotent across processes).
 */
export async function loadKeyring(prisma: PrismaClient, configured: ConfiguredKeys, options: { allowMissingKeys?: boolean } = {}): Promise<LoadedKeyring> {
  const [sealed, checks] = await Promise.all([sealedRowsByKeyId(prisma), prisma.masterKeyCheck.findMany({ select: { keyId: true, check: true } })]);

  let active = configured.active;
  let generatedAt: string | undefined;
  if (!active) {
    if (sealed.size > 0 || checks.length > 0) {
      const named = [...sealed].map(([keyId, rows]) => ({ keyId, rows }));
      throw new ConfigError(
        lostKeyFileMessage(
          configured.keyFile,
          named,
          checks.map((row) => row.keyId),
        ),
      );
    }
    active = await generateKeyIntoDataDir(configured.keyFile);
    generatedAt = configured.keyFile;
  }

  const keyring = createKeyring(active, configured.accepted);
  const keyFile = configured.source === "data-dir" ? configured.keyFile : undefined;
  const audit = auditKeyring(keyring, sealed, checks);
  if (audit.failedChecks.length > 0) throw new ConfigError(failedChecksMessage(audit.failedChecks));
  if (audit.missing.length > 0 && !options.allowMissingKeys) throw new ConfigError(missingKeysMessage(audit.missing, keyring, keyFile));
  if (audit.unrecorded.length > 0) {
    await prisma.masterKeyCheck.createMany({
      data: audit.unrecorded.map((key) => ({ keyId: key.id, check: sealKeyCheck(key) })),
      skipDuplicates: true,
    });
  }
  return { keyring, generatedAt, missing: audit.missing };
}
