import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import { CopyButton } from "@/components/ui/copy-button";
import { PageHeader } from "@/components/ui/page-header";
import { Setting } from "@/components/ui/setting";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { DiagnosticsPanel } from "@/components/sessions/diagnostics-panel";
import { RuntimePanel } from "@/components/sessions/runtime-panel";
import { sessionSdkSnippet } from "@/components/sessions/sdk-snippet";
import { SessionActions } from "@/components/sessions/session-actions";
import { VaultKindBadge } from "@/components/vaults/vault-kind-badge";
import { userMay } from "@/lib/auth/policy";
import { requireUser } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format";
import { publicOriginFrom } from "@/lib/http/public-origin";
import { resourceTitle } from "@/lib/page-resource";
import { serializeDiagnostics } from "@/lib/serializers/diagnostics";
import { serializeVault } from "@/lib/serializers/vaults";
import { boundaryBaseUrl } from "@/lib/server/boundary";
import { getEnvironment } from "@/lib/server/environments";
import { getSessionDiagnostics } from "@/lib/server/session-diagnostics";
import { getVault } from "@/lib/server/vaults";
import { llmBaseUrlOf, SUPPORTED_ENGINE } from "@/lib/validation/reserved-metadata";
import { vaultKindOf } from "@/lib/vault-kind";
import { loadSession } from "./load-session";

type Params = Promise<{ sessionId: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { sessionId } = await params;
  return { title: resourceTitle(sessionId, "Session") };
}

export default async function SessionPage({ params }: { params: Params }) {
  const user = await requireUser();
  const { sessionId } = await params;
  const session = await loadSession(sessionId);
  const [diagnostics, environment, vaults, origin] = await Promise.all([
    getSessionDiagnostics(session.id).then(serializeDiagnostics),
    getEnvironment(session.environment_id),
    Promise.all(session.vault_ids.map(async (vaultId) => serializeVault(await getVault(vaultId)))),
    headers().then(publicOriginFrom),
  ]);
  // The LLM vault first: it is the one the diagnostics are about.
  const attached = [...vaults].sort((a, b) => Number(vaultKindOf(b.metadata) === "llm") - Number(vaultKindOf(a.metadata) === "llm"));
  const archived = session.archived_at !== null;
  const writable = userMay(user, "write");
  const userMetadata = Object.entries(session.metadata);

  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/sessions" className="hover:text-fg hover:underline">
            Sessions
          </Link>
        }
        title={session.title ?? "Untitled session"}
        description={
          <span className="flex flex-wrap items-center gap-2">
            {diagnostics.ready ? (
              <Badge tone="success" dot>
                Ready
              </Badge>
            ) : (
              <Badge tone="danger" dot>
                Not ready
              </Badge>
            )}
            <Badge>{session.status}</Badge>
            {archived ? <Badge tone="warning">Archived {formatDateTime(session.archived_at)}</Badge> : null}
            <span className="font-mono text-xs">{session.id}</span>
            <CopyButton text={session.id} label="Copy id" variant="ghost" />
          </span>
        }
        actions={writable ? <SessionActions sessionId={session.id} archived={archived} /> : null}
      />
      {archived ? (
        <Alert tone="warning" className="mb-5" title="This session is archived">
          It is read-only: its title, metadata and vaults can no longer change.
        </Alert>
      ) : null}

      <div className="space-y-5">
        <DiagnosticsPanel diagnostics={diagnostics} />

        <Card>
          <CardHeader title="Settings" description="The agent version and environment are fixed when the session starts." />
          <CardBody className="py-1">
            <dl className="grid gap-x-8 sm:grid-cols-2 xl:grid-cols-3">
              <Setting label="Agent">
                <Link href={`/agents/${session.agent.id}`} className="font-medium hover:underline">
                  {session.agent.name}
                </Link>{" "}
                <span className="text-fg-muted">
                  version {session.agent.version} · <span className="font-mono text-[12.5px]">{session.agent.model.id}</span>
                </span>
              </Setting>
              <Setting label="Environment">
                <Link href={`/environments/${environment.id}`} className="font-medium hover:underline">
                  {environment.name}
                </Link>{" "}
                <span className="font-mono text-[12px] text-fg-subtle">{environment.id}</span>
              </Setting>
              <Setting label="Created">{formatDateTime(session.created_at)}</Setting>
              <Setting label="Updated">{formatDateTime(session.updated_at)}</Setting>
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

        <Card>
          <CardHeader title="Attached vaults" description="The LLM vault first. Its token reaches the model only through the credential boundary." />
          {attached.length === 0 ? (
            <CardBody>
              <p className="text-sm text-fg-muted">
                No vault is attached.{" "}
                {writable && !archived ? (
                  <Link href={`/sessions/${session.id}/edit`} className="font-medium text-fg underline">
                    Attach the LLM vault
                  </Link>
                ) : null}
              </p>
            </CardBody>
          ) : (
            <Table label="Attached vaults" className="rounded-none border-0 shadow-none">
              <THead>
                <tr>
                  <TH>Vault</TH>
                  <TH>Kind</TH>
                  <TH className="hidden md:table-cell">Model endpoint</TH>
                </tr>
              </THead>
              <TBody>
                {attached.map((vault) => {
                  const kind = vaultKindOf(vault.metadata);
                  const baseUrl = llmBaseUrlOf(vault.metadata);
                  return (
                    <TR key={vault.id} data-testid="attached-vault">
                      <TD>
                        <Link href={`/vaults/${vault.id}`} className="font-medium hover:underline">
                          {vault.display_name}
                        </Link>
                        <span className="block font-mono text-[11.5px] text-fg-subtle">{vault.id}</span>
                      </TD>
                      <TD>
                        <span className="flex items-center gap-1.5">
                          <VaultKindBadge kind={kind} />
                          {vault.archived_at ? <Badge tone="warning">Archived</Badge> : null}
                        </span>
                      </TD>
                      <TD className="hidden font-mono text-xs text-fg-muted md:table-cell">{kind === "llm" ? baseUrl.url : "—"}</TD>
                    </TR>
                  );
                })}
              </TBody>
            </Table>
          )}
        </Card>

        <RuntimePanel sessionId={session.id} boundaryUrl={boundaryBaseUrl(origin, session.id)} ready={diagnostics.ready} engine={SUPPORTED_ENGINE} />

        <Card>
          <CardHeader title="Use from the SDK" description="Create the same session through the official Anthropic SDK, then read its diagnostics." />
          <CardBody>
            <CodeBlock
              label="session.ts"
              code={sessionSdkSnippet({
                baseUrl: origin,
                agentId: session.agent.id,
                environmentId: session.environment_id,
                vaultIds: attached.map((vault) => vault.id),
                title: session.title,
              })}
            />
          </CardBody>
        </Card>
      </div>
    </>
  );
}
