// No `server-only` marker: scripts/start.ts (the proxy) and scripts/rotate-egress-ca.ts run this outside Next.
import tls from "node:tls";
import { createEgressCa, EgressCertificateAuthority } from "@/lib/boundary/egress-ca";
import { MasterKeyNotLoadedError, openSecret, rewrapSecret, sealSecret } from "@/lib/crypto/envelope";
import { howToLoadKey } from "@/lib/crypto/key-checks";
import { ConsoleError } from "@/lib/errors";
import type { EgressAuthority } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { db, keyring } from "@/lib/instances";
import { recordAudit, type RequestContext } from "@/lib/server/audit";
import { transaction } from "@/lib/server/transaction";

/**
 * The egress CA as the database keeps it: created by the first process that needs it, its private
 * key sealed under the master key like any secret, so every console process on the database signs
 * leaves with the one CA runtimes were told to trust. A rotation retires it (purging its key) and
 * makes a new one; processes notice within AUTHORITY_RECHECK_MS.
 */

const COMMON_NAME = "Managed Agents console egress CA";
/** How often a process asks the database whether the current CA changed (a rotation elsewhere). */
const AUTHORITY_RECHECK_MS = 30_000;

function keyContext(id: string): string {
  return `${id}:egress_ca_key`;
}

async function currentRow(): Promise<EgressAuthority | null> {
  return db().egressAuthority.findFirst({ where: { currentSlot: true } });
}

/** A new CA row, sealed under the active master key; not yet current. */
async function newAuthorityRow(): Promise<{ id: string; certificatePem: string; privateKeyCiphertext: Uint8Array<ArrayBuffer>; secretKeyId: string }> {
  const id = newId("eca");
  const material = await createEgressCa(`${COMMON_NAME} (${id})`);
  const sealed = sealSecret(material.privateKeyPkcs8.toString("base64"), keyring(), keyContext(id));
  return { id, certificatePem: material.certificatePem, privateKeyCiphertext: sealed.ciphertext, secretKeyId: sealed.keyId };
}

/** The current CA row, created when there is none. Two processes racing create one: the unique slot decides. */
export async function ensureEgressAuthority(): Promise<EgressAuthority> {
  const existing = await currentRow();
  if (existing) return existing;
  const row = await newAuthorityRow();
  await db().$executeRaw`
    INSERT INTO egress_authorities (id, certificate_pem, private_key_ciphertext, secret_key_id, current_slot)
    VALUES (${row.id}, ${row.certificatePem}, ${row.privateKeyCiphertext}, ${row.secretKeyId}, TRUE)
    ON CONFLICT (current_slot) DO NOTHING`;
  const current = await currentRow();
  if (!current) throw new Error("The egress CA was neither found nor created");
  return current;
}

function openAuthorityKey(row: EgressAuthority): Buffer {
  if (!row.privateKeyCiphertext || !row.secretKeyId) throw new Error(`Egress CA ${row.id} is retired; its key was purged`);
  const keyId = row.secretKeyId;
  const blob = row.privateKeyCiphertext;
  try {
    return Buffer.from(openSecret(blob, keyId, keyring(), keyContext(row.id)), "base64");
  } catch (error) {
    if (error instanceof MasterKeyNotLoadedError) {
      throw new ConsoleError(
        "api_error",
        `The egress CA's key is sealed under master key ${keyId}, which this process has not loaded. Operators: ${howToLoadKey()}`,
        {
          status: 503,
          details: { error_code: "master_key_missing", key_id: keyId },
        },
      );
    }
    throw error;
  }
}

/** The public part runtimes trust: the current CA's certificate (PEM). */
export async function egressCaCertificate(): Promise<string> {
  return (await ensureEgressAuthority()).certificatePem;
}

/**
 * What a runtime writes to its one CA path: the egress CA first, then the public roots this
 * console trusts. Tools that replace their trust store with the file (curl's SSL_CERT_FILE, git,
 * Python requests) then still verify the hosts the proxy tunnels untouched.
 */
export function egressCaBundle(certificatePem: string): string {
  return [certificatePem.trim(), ...tls.rootCertificates.map((root) => root.trim())].join("\n") + "\n";
}

/**
 * The proxy's signer: the current CA, loaded once, and re-read when another process rotated it.
 * A failed re-check keeps the loaded CA (the database may be briefly away; leaves stay valid).
 */
export function egressAuthoritySource(recheckMs: number = AUTHORITY_RECHECK_MS): () => Promise<EgressCertificateAuthority> {
  let loaded: { id: string; authority: Promise<EgressCertificateAuthority>; checkedAt: number } | null = null;
  const load = (row: EgressAuthority) => EgressCertificateAuthority.load({ certificatePem: row.certificatePem, privateKeyPkcs8: openAuthorityKey(row) });
  return async () => {
    const now = Date.now();
    if (loaded && now - loaded.checkedAt < recheckMs) return loaded.authority;
    const previous = loaded;
    try {
      const row = await ensureEgressAuthority();
      loaded = previous && previous.id === row.id ? { ...previous, checkedAt: now } : { id: row.id, authority: load(row), checkedAt: now };
    } catch (error) {
      if (!previous) throw error;
      loaded = { ...previous, checkedAt: now };
    }
    return loaded.authority;
  };
}

/** `npm run egress:rotate-ca`: a new current CA; the old one's key is purged. Runtimes must fetch their settings again. */
export async function rotateEgressAuthority(context: RequestContext): Promise<{ retiredId: string | null; currentId: string }> {
  const row = await newAuthorityRow();
  return transaction(async (tx) => {
    const retired = await tx.$queryRaw<{ id: string }[]>`
      UPDATE egress_authorities SET current_slot = NULL, retired_at = now(), private_key_ciphertext = NULL, secret_key_id = NULL
      WHERE current_slot = TRUE RETURNING id`;
    await tx.egressAuthority.create({ data: { ...row, currentSlot: true } });
    const retiredId = retired[0]?.id ?? null;
    await recordAudit(tx, context, {
      action: "egress_ca.rotate",
      resourceType: "egress_ca",
      resourceId: row.id,
      details: { retired_egress_ca_id: retiredId },
    });
    return { retiredId, currentId: row.id };
  });
}

/** keys:rotate: moves the CA key's data key to the active master key (the key itself is never opened). */
export async function rewrapEgressAuthorities(): Promise<number> {
  const activeKeyId = keyring().active.id;
  return transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; private_key_ciphertext: Uint8Array; secret_key_id: string }[]>`
      SELECT id, private_key_ciphertext, secret_key_id FROM egress_authorities
      WHERE secret_key_id IS NOT NULL AND secret_key_id <> ${activeKeyId} FOR UPDATE`;
    for (const row of rows) {
      const moved = rewrapSecret(row.private_key_ciphertext, row.secret_key_id, keyring(), keyContext(row.id));
      await tx.egressAuthority.update({ where: { id: row.id }, data: { privateKeyCiphertext: moved.ciphertext, secretKeyId: moved.keyId } });
    }
    return rows.length;
  });
}
