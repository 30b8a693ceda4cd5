import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import { Setting } from "@/components/ui/setting";
import { ResourceActions } from "@/components/console/resource-actions";
import { MetadataSetting } from "@/components/console/metadata-setting";
import { ArchivedAlert, ResourceHeader } from "@/components/console/resource-header";
import { CredentialsPanel } from "@/components/credentials/credentials-panel";
import { archiveVaultAction, deleteVaultAction } from "@/lib/actions/vaults";
import { vaultSdkSnippet } from "@/components/vaults/sdk-snippet";
import { TestConnection } from "@/components/vaults/test-connection";
import { VaultKindBadge } from "@/components/vaults/vault-kind-badge";
import { EditVaultButton } from "@/components/vaults/edit-vault-button";
import type { EditableVault } from "@/components/vaults/edit-vault-dialog";
import { USED_BY_REASON_ID, UsedBySessions } from "@/components/sessions/used-by-sessions";
import { userMay } from "@/lib/auth/policy";
import { requireUser } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format";
import { publicOriginFrom } from "@/lib/http/public-origin";
import { loadOrNotFound } from "@/lib/page-resource";
import { listCredentials } from "@/lib/server/credentials";
import { sessionsUsingVault } from "@/lib/server/resource-usage";
import { getVault } from "@/lib/server/vaults";
import { serializeCredential } from "@/lib/serializers/credentials";
import { serializeVault } from "@/lib/serializers/vaults";
import { isReservedKey, llmBaseUrlOf, RESERVED_KEYS, SUPPORTED_ENGINE } from "@/lib/validation/reserved-metadata";
import { METADATA_MAX_PAIRS } from "@/lib/validation/common";
import { vaultKindOf } from "@/lib/vault-kind";
import { titleFromId } from "../../resource-pages";

type Params = Promise<{ vaultId: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export const generateMetadata = titleFromId("vaultId", "Vault");

export default async function VaultPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const user = await requireUser();
  const { vaultId } = await params;
  // One-time intents from the diagnostics' fix buttons: open a dialog on arrival.
  const intent = await searchParams;
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(vaultId)) notFound();
  const vault = await loadOrNotFound(vaultId, async (id) => serializeVault(await getVault(id)));
  const [{ items }, usage] = await Promise.all([listCredentials(vaultId, { limit: 100, includeArchived: true }), sessionsUsingVault(vaultId)]);
  const credentials = items.map(serializeCredential);
  const kind = vaultKindOf(vault.metadata);
  const archived = vault.archived_at !== null;
  const writable = userMay(user, "write");
  const baseUrl = llmBaseUrlOf(vault.metadata);
  const userMetadata = Object.entries(vault.metadata).filter(([key]) => !isReservedKey(key));
  const activeCredential = credentials.find((credential) => credential.archived_at === null) ?? null;
  const meta = vault.metadata;
  const reservedPairs = Object.keys(meta).filter(isReservedKey).length;
  const editable: EditableVault = {
    id: vault.id,
    kind,
    displayName: vault.display_name,
    baseUrl: meta[RESERVED_KEYS.llmBaseUrl] ?? "",
    boundCredentialName: activeCredential ? (activeCredential.display_name ?? activeCredential.id) : null,
    targetDomains: (meta[RESERVED_KEYS.targetDomains] ?? "").split(",").join(", "),
    headersJson: meta[RESERVED_KEYS.headersJson] ?? "",
    protocol: meta[RESERVED_KEYS.protocol] ?? "https",
    tlsMode: meta[RESERVED_KEYS.tlsMode] ?? "terminate-reoriginate",
    failurePolicy: meta[RESERVED_KEYS.failurePolicy] ?? "fail-closed",
    userMetadata: userMetadata.map(([key, value]) => ({ key, value })),
  };
  const deleteBlocked =
    usage.count > 0
      ? { reason: `Used by ${usage.count} session${usage.count === 1 ? "" : "s"}: detach it from them or delete them first`, describedBy: USED_BY_REASON_ID }
      : undefined;

  return (
    <>
      <ResourceHeader
        docs="vault"
        list={{ href: "/vaults", label: "Vaults" }}
        title={vault.display_name}
        id={vault.id}
        archivedAt={vault.archived_at}
        badges={<VaultKindBadge kind={kind} />}
        actions={
          writable ? (
            <ResourceActions
              noun="vault"
              archived={archived}
              deleteBlocked={deleteBlocked}
              archive={{
                action: archiveVaultAction.bind(null, vault.id),
                done: "Vault archived; its credentials' secrets were destroyed.",
                body: (
                  <>
                    Every active credential in <span className="font-medium text-fg">{vault.display_name}</span> is archived and its secret destroyed. The vault
                    becomes read-only, takes no new credentials and can no longer be attached to a session. The records stay for the audit trail.
                  </>
                ),
              }}
              remove={{
                action: deleteVaultAction,
                hiddenFields: { vault_id: vault.id },
                confirmField: "confirm_name",
                expected: vault.display_name,
                children: (
                  <>
                    This permanently deletes <span className="font-medium text-fg">{vault.display_name}</span> and every credential in it, including their
                    records. It cannot be undone. Sessions that reference the vault block the delete; archive it instead to keep the history.
                  </>
                ),
              }}
            >
              <EditVaultButton vault={editable} initiallyOpen={intent.edit === "vault"} />
            </ResourceActions>
          ) : null
        }
      />
      <ArchivedAlert archived={archived} noun="vault">
        It is read-only: its credentials were archived and their secrets destroyed, and it cannot be attached to a session.
      </ArchivedAlert>

      <div className="space-y-5">
        <Card>
          <CardHeader
            title="Settings"
            description={
              kind === "llm"
                ? "The role and engine cannot change; the base URL can, while the vault holds no token."
                : kind === "credential"
                  ? `These header settings are stored as ${reservedPairs} reserved sandbox0.managed_agents.* metadata pairs, which count against the ${METADATA_MAX_PAIRS}-pair limit: ${METADATA_MAX_PAIRS - reservedPairs} are left for your own metadata (${userMetadata.length} used).`
                  : undefined
            }
          />
          <CardBody className="py-1">
            <dl className="grid gap-x-8 sm:grid-cols-2 xl:grid-cols-3">
              {kind === "llm" ? (
                <>
                  <Setting label="Engine" mono>
                    {meta[RESERVED_KEYS.engine] ?? SUPPORTED_ENGINE}
                  </Setting>
                  <Setting label="Base URL" mono>
                    <span>{baseUrl.url}</span>
                    {baseUrl.isDefault ? <span className="ml-1.5 font-sans text-xs text-fg-subtle">default</span> : null}
                  </Setting>
                </>
              ) : null}
              {kind === "credential" ? (
                <>
                  <Setting label="Target domains" mono>
                    {(meta[RESERVED_KEYS.targetDomains] ?? "").split(",").join(", ")}
                  </Setting>
                  <Setting label="Headers template" mono>
                    {meta[RESERVED_KEYS.headersJson]}
                  </Setting>
                  <Setting label="Protocol" mono>
                    {meta[RESERVED_KEYS.protocol] ?? "—"}
                  </Setting>
                  <Setting label="TLS mode" mono>
                    {meta[RESERVED_KEYS.tlsMode] ?? "—"}
                  </Setting>
                  <Setting label="Failure policy" mono>
                    {meta[RESERVED_KEYS.failurePolicy] ?? "—"}
                  </Setting>
                </>
              ) : null}
              <Setting label="Created">{formatDateTime(vault.created_at)}</Setting>
              <Setting label="Updated">{formatDateTime(vault.updated_at)}</Setting>
              <MetadataSetting entries={userMetadata} />
            </dl>
          </CardBody>
        </Card>

        {kind === "llm" && writable && !archived ? <TestConnection vaultId={vault.id} hasToken={activeCredential !== null} /> : null}

        <CredentialsPanel
          vaultId={vault.id}
          vaultKind={kind}
          vaultArchived={archived}
          credentials={credentials}
          canWrite={writable}
          addOnArrival={intent.add === "token" || intent.add === "credential"}
        />

        <UsedBySessions usage={usage} noun="vault" unblock="detach it (edit each session's vaults) or delete those sessions first." />

        <Card>
          <CardHeader title="Use from the SDK" description="The same vault through the official Anthropic SDK, pointed at this console." />
          <CardBody>
            <CodeBlock
              label="vault.ts"
              code={vaultSdkSnippet({
                baseUrl: publicOriginFrom(await headers()),
                vaultId: vault.id,
                kind,
                activeCredentialId: activeCredential?.id ?? null,
                archived,
              })}
            />
          </CardBody>
        </Card>
      </div>
    </>
  );
}
