import "server-only";
import type { Prisma, Vault } from "@/lib/generated/prisma/client";
import { db } from "@/lib/instances";
import { ConsoleError, conflict, invalidField, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { settings } from "@/lib/env";
import { recordAudit, type RequestContext } from "@/lib/server/audit";
import { pageOf, type KeysetPage } from "@/lib/server/keyset-pages";
import { transaction } from "@/lib/server/transaction";
import { readVaultList, type VaultListShape } from "@/lib/server/vault-list";
import { lockVault, purgedCredentialFields } from "@/lib/server/vault-rows";
import { patchStoredMetadata, storedMetadata, type Metadata } from "@/lib/validation/common";
import { decodeCursor, type ListOptions } from "@/lib/validation/pagination";
import { llmEndpointOf, normalizedVaultMetadata, RESERVED_KEYS, reservedMetadataIssues } from "@/lib/validation/reserved-metadata";
import type { VaultCreateInput, VaultListFilters, VaultUpdateInput } from "@/lib/validation/vaults";
import { storedVaultKind, vaultKindOf } from "@/lib/vault-kind";

const CURSOR_SCOPE = "vaults";

/**
 * The metadata a vault stores: every reserved-key rule checked, llm_base_url's destination included
 * (the endpoint policy with this console's CONSOLE_PRIVATE_ENDPOINTS), and llm_base_url normalized.
 * Nothing here dials or resolves anything.
 */
function checkedVaultMetadata(metadata: Metadata): Metadata {
  const [issue] = reservedMetadataIssues(metadata, "vault", settings().CONSOLE_PRIVATE_ENDPOINTS);
  if (issue) throw invalidField(`metadata.${issue.key}`, issue.message);
  return normalizedVaultMetadata(metadata);
}

export async function createVault(input: VaultCreateInput, context: RequestContext): Promise<Vault> {
  const metadata = checkedVaultMetadata(input.metadata ?? {});
  return transaction(async (tx) => {
    const vault = await tx.vault.create({
      data: { id: newId("vlt"), displayName: input.display_name, metadata, kind: storedVaultKind(vaultKindOf(metadata)) },
    });
    await recordAudit(tx, context, {
      action: "vault.create",
      resourceType: "vault",
      resourceId: vault.id,
      details: { role: vault.kind },
    });
    return vault;
  });
}

export async function getVault(vaultId: string): Promise<Vault> {
  const vault = await db().vault.findUnique({ where: { id: vaultId } });
  if (!vault) throw notFound("Vault", vaultId);
  return vault;
}

/** Which clauses a list of vaults has (see lib/server/vault-list.ts). */
export function vaultListShape(options: ListOptions, filters: VaultListFilters = {}): VaultListShape {
  return {
    includeArchived: options.includeArchived === true,
    after: options.page === undefined ? undefined : decodeCursor(CURSOR_SCOPE, options.page),
    // An empty search is no filter, as in the console's search box.
    nameContains: filters.nameContains || undefined,
    kind: filters.kind ? storedVaultKind(filters.kind) : undefined,
  };
}

export async function listVaults(options: ListOptions, filters: VaultListFilters = {}): Promise<KeysetPage<Vault>> {
  return pageOf(await readVaultList(vaultListShape(options, filters), options.limit + 1), options.limit, CURSOR_SCOPE);
}

function checkKindUnchanged(vault: Vault, merged: Record<string, string>): void {
  const before = storedMetadata(vault.metadata)[RESERVED_KEYS.role];
  const after = merged[RESERVED_KEYS.role];
  if (before === after) return;
  const message = before
    ? `cannot change after the vault is created (this vault's role is ${JSON.stringify(before)}); create a new vault instead`
    : "cannot be added after the vault is created; create a new vault with the role instead";
  throw invalidField(`metadata.${RESERVED_KEYS.role}`, message);
}

/**
 * A token is bound to the endpoint it was stored for: an LLM vault's endpoint (llm_base_url, or
 * the default when it is removed) cannot change while the vault holds an active credential, or an
 * admin key could move the endpoint to a listener of its own and have the token sent there. The
 * caller holds the vault's row lock, which credential creation takes too, so a credential cannot
 * appear between this check and the commit. Returns the change's origins for the audit entry.
 */
async function checkEndpointChange(tx: Prisma.TransactionClient, vault: Vault, metadata: Metadata): Promise<{ from: string | null; to: string | null } | null> {
  const before = llmEndpointOf(storedMetadata(vault.metadata));
  const after = llmEndpointOf(metadata);
  if (before === after) return null;
  const active = await tx.vaultCredential.findFirst({ where: { vaultId: vault.id, archivedAt: null }, select: { id: true } });
  if (active) {
    throw new ConsoleError(
      "conflict_error",
      `metadata.${RESERVED_KEYS.llmBaseUrl}: cannot change while LLM vault ${vault.id} holds an active credential (${active.id}), ` +
        "whose token was stored for the current endpoint. Archive the credential, change the endpoint, then add the token for the new endpoint.",
      { field: `metadata.${RESERVED_KEYS.llmBaseUrl}`, details: { error_code: "endpoint_bound_to_credential", credential_id: active.id } },
    );
  }
  return { from: before && new URL(before).origin, to: after && new URL(after).origin };
}

export async function updateVault(vaultId: string, input: VaultUpdateInput, context: RequestContext): Promise<Vault> {
  return transaction(async (tx) => {
    const vault = await lockVault(tx, vaultId);
    if (vault.archivedAt) throw conflict(`Vault ${vaultId} is archived; archived vaults are read-only`);

    const patched = patchStoredMetadata(vault.metadata, input.metadata);
    checkKindUnchanged(vault, patched);
    const metadata = checkedVaultMetadata(patched);
    const endpointChange = vault.kind === "llm" ? await checkEndpointChange(tx, vault, metadata) : null;

    const updated = await tx.vault.update({
      where: { id: vaultId },
      data: { displayName: input.display_name ?? vault.displayName, metadata, updatedAt: new Date() },
    });
    await recordAudit(tx, context, {
      action: "vault.update",
      resourceType: "vault",
      resourceId: vaultId,
      details: {
        display_name_changed: input.display_name != null && input.display_name !== vault.displayName,
        metadata_keys_changed: Object.keys(input.metadata ?? {}),
        ...(endpointChange ? { llm_endpoint_changed: endpointChange } : {}),
      },
    });
    return updated;
  });
}

/**
 * Archiving a vault archives every active credential in it and destroys their ciphertext; the
 * records stay for audit. Archiving twice is harmless and returns the vault as it is.
 */
export async function archiveVault(vaultId: string, context: RequestContext): Promise<Vault> {
  return transaction(async (tx) => {
    const vault = await lockVault(tx, vaultId);
    if (vault.archivedAt) return vault;
    const now = new Date();
    const purged = await tx.vaultCredential.updateMany({
      where: { vaultId, archivedAt: null },
      data: purgedCredentialFields(now),
    });
    const archived = await tx.vault.update({ where: { id: vaultId }, data: { archivedAt: now, updatedAt: now } });
    await recordAudit(tx, context, {
      action: "vault.archive",
      resourceType: "vault",
      resourceId: vaultId,
      details: { archived_credentials: purged.count },
    });
    return archived;
  });
}

/**
 * Deletes the vault and its credentials for good — refused while any session, archived ones
 * included, references it (the session_vaults foreign key backs this up).
 */
export async function deleteVault(vaultId: string, context: RequestContext): Promise<void> {
  await transaction(async (tx) => {
    const vault = await lockVault(tx, vaultId);
    const attached = await tx.sessionVault.findMany({ where: { vaultId }, select: { sessionId: true }, take: 3 });
    if (attached.length > 0) {
      throw conflict(
        `Vault ${vaultId} is attached to session(s) ${attached.map((row) => row.sessionId).join(", ")}; ` +
          "detach it (update the sessions' vault_ids) or delete those sessions first",
      );
    }
    await tx.vault.delete({ where: { id: vaultId } });
    await recordAudit(tx, context, {
      action: "vault.delete",
      resourceType: "vault",
      resourceId: vaultId,
      details: { display_name: vault.displayName },
    });
  });
}

/** How many active credentials each of these vaults holds (the vault list shows it for LLM vaults). */
export async function activeCredentialCounts(vaultIds: string[]): Promise<Map<string, number>> {
  if (vaultIds.length === 0) return new Map();
  const groups = await db().vaultCredential.groupBy({
    by: ["vaultId"],
    where: { vaultId: { in: vaultIds }, archivedAt: null },
    _count: { _all: true },
  });
  return new Map(groups.map((group) => [group.vaultId, group._count._all]));
}
