import "server-only";
import type { Vault } from "@/lib/generated/prisma/client";
import { db, keyring } from "@/lib/instances";
import { settings } from "@/lib/env";
import { diagnoseVaults, type AttachedVault } from "@/lib/server/session-diagnostics";
import type { SessionWithVaults } from "@/lib/server/sessions";
import { activeCredentialCounts } from "@/lib/server/vaults";
import { readinessOf, type SessionConsoleRow, type SessionRow, type VaultConsoleRow, type VaultRow } from "@/lib/serializers/console-rows";
import { serializeSession } from "@/lib/serializers/sessions";
import { serializeVault } from "@/lib/serializers/vaults";
import { storedAgentSnapshot } from "@/lib/validation/agents";
import { storedMetadata } from "@/lib/validation/common";
import { llmBaseUrlOf } from "@/lib/validation/reserved-metadata";
import { vaultKindOf } from "@/lib/vault-kind";

/**
 * The list pages' read model: what a vault or session row shows beyond the API object, for a whole
 * page at once. The number of statements is fixed per page (two grouped counts for vaults; the
 * attached vaults with their active credentials, and the environments, for sessions), whatever
 * the number of rows, so a list never asks once per row.
 */

async function vaultConsoleRows(vaults: Vault[]): Promise<Map<string, VaultConsoleRow>> {
  const ids = vaults.map((vault) => vault.id);
  if (ids.length === 0) return new Map();
  const [credentials, sessions] = await Promise.all([
    activeCredentialCounts(ids),
    db().sessionVault.groupBy({ by: ["vaultId"], where: { vaultId: { in: ids } }, _count: { _all: true } }),
  ]);
  const sessionCounts = new Map(sessions.map((group) => [group.vaultId, group._count._all]));
  return new Map(
    vaults.map((vault) => {
      const metadata = storedMetadata(vault.metadata);
      const kind = vaultKindOf(metadata);
      const active = credentials.get(vault.id) ?? 0;
      const baseUrl = llmBaseUrlOf(metadata);
      const row: VaultConsoleRow = {
        kind,
        endpoint: kind === "llm" ? { url: baseUrl.url, is_default: baseUrl.isDefault } : null,
        token: kind === "llm" && vault.archivedAt === null ? (active > 0 ? "present" : "missing") : null,
        active_credentials: active,
        sessions: sessionCounts.get(vault.id) ?? 0,
      };
      return [vault.id, row];
    }),
  );
}

async function sessionConsoleRows(sessions: SessionWithVaults[]): Promise<Map<string, SessionConsoleRow>> {
  if (sessions.length === 0) return new Map();
  const vaultIds = [...new Set(sessions.flatMap((session) => session.vaults.map((attachment) => attachment.vaultId)))];
  const environmentIds = [...new Set(sessions.map((session) => session.environmentId))];
  const [vaults, environments] = await Promise.all([
    vaultIds.length === 0
      ? Promise.resolve([] as AttachedVault[])
      : db().vault.findMany({ where: { id: { in: vaultIds } }, include: { credentials: { where: { archivedAt: null } } } }),
    db().environment.findMany({ where: { id: { in: environmentIds } }, select: { id: true, name: true } }),
  ]);
  const vaultById = new Map(vaults.map((vault) => [vault.id, vault]));
  const environmentById = new Map(environments.map((environment) => [environment.id, environment]));
  const options = { isMasterKeyLoaded: (keyId: string) => keyring().byId.has(keyId), privateEndpoints: settings().CONSOLE_PRIVATE_ENDPOINTS };

  return new Map(
    sessions.map((session) => {
      const attached = [...session.vaults]
        .sort((a, b) => a.position - b.position)
        .flatMap((attachment) => {
          const vault = vaultById.get(attachment.vaultId);
          return vault ? [vault] : [];
        });
      const llm = attached.find((vault) => vault.kind === "llm");
      const agent = storedAgentSnapshot(session.agentSnapshot);
      const row: SessionConsoleRow = {
        agent: { id: agent.id, name: agent.name, version: agent.version },
        environment: environmentById.get(session.environmentId) ?? null,
        llm_vault: llm
          ? { id: llm.id, display_name: llm.displayName, archived: llm.archivedAt !== null, endpoint: llmBaseUrlOf(storedMetadata(llm.metadata)).url }
          : null,
        other_vaults: attached.filter((vault) => vault.kind !== "llm").length,
        readiness: readinessOf(diagnoseVaults(attached, options)),
      };
      return [session.id, row];
    }),
  );
}

/** A page of vaults as the console's rows: each API object with its `console` field. */
export async function vaultRows(vaults: Vault[]): Promise<VaultRow[]> {
  const rows = await vaultConsoleRows(vaults);
  return vaults.flatMap((vault) => {
    const row = rows.get(vault.id);
    return row ? [{ ...serializeVault(vault), console: row }] : [];
  });
}

/** A page of sessions as the console's rows: each API object with its `console` field. */
export async function sessionRows(sessions: SessionWithVaults[]): Promise<SessionRow[]> {
  const rows = await sessionConsoleRows(sessions);
  return sessions.flatMap((session) => {
    const row = rows.get(session.id);
    return row ? [{ ...serializeSession(session), console: row }] : [];
  });
}
