import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import { CopyButton } from "@/components/ui/copy-button";
import { PageHeader } from "@/components/ui/page-header";
import { Setting } from "@/components/ui/setting";
import { CredentialsPanel } from "@/components/credentials/credentials-panel";
import { vaultSdkSnippet } from "@/components/vaults/sdk-snippet";
import { VaultActions } from "@/components/vaults/vault-actions";
import { TestConnection } from "@/components/vaults/test-connection";
import { VaultKindBadge } from "@/components/vaults/vault-kind-badge";
import { userMay } from "@/lib/auth/policy";
import { requireUser } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format";
import { publicOriginFrom } from "@/lib/http/public-origin";
import { loadOrNotFound, resourceTitle } from "@/lib/page-resource";
import { listCredentials } from "@/lib/server/credentials";
import { getVault } from "@/lib/server/vaults";
import { serializeCredential } from "@/lib/serializers/credentials";
import { serializeVault } from "@/lib/serializers/vaults";
import { isReservedKey, llmBaseUrlOf, RESERVED_KEYS, SUPPORTED_ENGINE } from "@/lib/validation/reserved-metadata";
import { vaultKindOf } from "@/lib/vault-kind";

type Params = Promise<{ vaultId: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: resourceTitle((await params).vaultId, "Vault") };
}

export default async function VaultPage({ params }: { params: Params }) {
  const user = await requireUser();
  const { vaultId } = await params;
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(vaultId)) notFound();
  const vault = await loadOrNotFound(vaultId, async (id) => serializeVault(await getVault(id)));
  const { items } = await listCredentials(vaultId, { limit: 100, includeArchived: true });
  const credentials = items.map(serializeCredential);
  const kind = vaultKindOf(vault.metadata);
  const archived = vault.archived_at !== null;
  const writable = userMay(user, "write");
  const baseUrl = llmBaseUrlOf(vault.metadata);
  const userMetadata = Object.entries(vault.metadata).filter(([key]) => !isReservedKey(key));
  const activeCredential = credentials.find((credential) => credential.archived_at === null) ?? null;
  const meta = vault.metadata;

  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/vaults" className="hover:text-fg hover:underline">
            Vaults
          </Link>
        }
        title={vault.display_name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <VaultKindBadge kind={kind} />
            {archived ? <Badge tone="warning">Archived {formatDateTime(vault.archived_at)}</Badge> : null}
            <span className="font-mono text-xs">{vault.id}</span>
            <CopyButton text={vault.id} label="Copy id" variant="ghost" />
          </span>
        }
        actions={writable ? <VaultActions vaultId={vault.id} vaultName={vault.display_name} archived={archived} /> : null}
      />
      {archived ? (
        <Alert tone="warning" className="mb-5" title="This vault is archived">
          It is read-only: its credentials were archived and their secrets destroyed, and it cannot be attached to a session.
        </Alert>
      ) : null}

      <div className="space-y-5">
        <Card>
          <CardHeader title="Settings" description={kind === "llm" ? "Set when the vault was created; the role and engine cannot change." : undefined} />
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
              <Setting label="Metadata">
                {userMetadata.length === 0 ? (
                  <span className="text-fg-subtle">None</span>
                ) : (
                  <ul className="space-y-1">
                    {userMetadata.map(([key, value]) => (
                      <li key={key} className="font-mono text-[12.5px] break-all">
                        <span className="text-fg-muted">{key}</span> = {value}
                      </li>
                    ))}
                  </ul>
                )}
              </Setting>
            </dl>
          </CardBody>
        </Card>

        {kind === "llm" && writable && !archived ? <TestConnection vaultId={vault.id} hasToken={activeCredential !== null} /> : null}

        <CredentialsPanel vaultId={vault.id} vaultKind={kind} vaultArchived={archived} credentials={credentials} canWrite={writable} />

        <Card>
          <CardHeader title="Use from the SDK" description="The same vault through the official Anthropic SDK, pointed at this console." />
          <CardBody>
            <CodeBlock
              label="vault.ts"
              code={vaultSdkSnippet({ baseUrl: publicOriginFrom(await headers()), vaultId: vault.id, kind, activeCredentialId: activeCredential?.id ?? null })}
            />
          </CardBody>
        </Card>
      </div>
    </>
  );
}
