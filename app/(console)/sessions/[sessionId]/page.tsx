import { X509Certificate } from "node:crypto";
import { headers } from "next/headers";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import { buttonClasses } from "@/components/ui/button";
import { Setting } from "@/components/ui/setting";
import { DataTable, TD, TR } from "@/components/ui/table";
import { ResourceActions } from "@/components/console/resource-actions";
import { MetadataSetting } from "@/components/console/metadata-setting";
import { ArchivedAlert, ResourceHeader } from "@/components/console/resource-header";
import { Conversation } from "@/components/sessions/conversation";
import { ConversationProvider } from "@/components/sessions/conversation-provider";
import { ConversationStatus } from "@/components/sessions/conversation-status";
import { DiagnosticsPanel } from "@/components/sessions/diagnostics-panel";
import { archiveSessionAction, deleteSessionAction } from "@/lib/actions/sessions";
import { EgressReachTable } from "@/components/sessions/egress-reach-table";
import { RuntimePanel, type EgressRuntimeView } from "@/components/sessions/runtime-panel";
import { runtimeSdkSnippet, sessionSdkSnippet } from "@/components/sessions/sdk-snippet";
import { VaultKindBadge } from "@/components/vaults/vault-kind-badge";
import { userMay } from "@/lib/auth/policy";
import { requireUser } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format";
import { publicOriginFrom } from "@/lib/http/public-origin";
import { serializeDiagnostics } from "@/lib/serializers/diagnostics";
import { serializeVault } from "@/lib/serializers/vaults";
import { boundaryBaseUrl } from "@/lib/boundary/placeholders";
import { PACKAGE_MANAGER_HOSTS, plannedVariables, type EgressPlan } from "@/lib/boundary/egress-plan";
import { settings } from "@/lib/env";
import { serializeEgressReach } from "@/lib/serializers/egress-reach";
import { egressCaCertificate } from "@/lib/server/egress-authority";
import { sessionEgressPlan } from "@/lib/server/egress-reach";
import { getEnvironment } from "@/lib/server/environments";
import { configuredBoundaryDoor, DEFAULT_CA_PATH } from "@/lib/server/runtime-settings";
import { getSessionDiagnostics } from "@/lib/server/session-diagnostics";
import { getVault } from "@/lib/server/vaults";
import { DEFAULT_LLM_BASE_URL, llmBaseUrlOf, llmEndpointOf, SUPPORTED_ENGINE } from "@/lib/validation/reserved-metadata";
import { storedEnvironmentConfig } from "@/lib/validation/environments";
import { vaultKindOf } from "@/lib/vault-kind";
import { loadConversation } from "./load-conversation";
import { loadSession } from "./load-session";
import { titleFromId } from "../../resource-pages";

type Params = Promise<{ sessionId: string }>;

/** Why the message box is not offered: viewers read a conversation, they do not send to it. */
function readOnlyReason(writable: boolean, archived: boolean): string | null {
  if (!writable) return "You have viewer access: you can follow this conversation, not send to it. An owner or admin can send messages.";
  if (archived) return "Archived sessions are read-only: this one takes no new messages.";
  return null;
}

/** What the egress tab needs besides the plan; null when this console runs no egress proxy. */
async function egressView(options: {
  sessionId: string;
  origin: string;
  plan: EgressPlan;
  llmVaultMetadata: Record<string, string> | null;
}): Promise<EgressRuntimeView | null> {
  const port = settings().CONSOLE_EGRESS_PORT;
  if (port === 0) return null;
  const { sessionId, origin, plan, llmVaultMetadata } = options;
  const certificate = await egressCaCertificate();
  return {
    // The same host the runtime settings name (lib/server/runtime-settings.ts): the console's public one.
    proxyAddress: `${new URL(origin).hostname}:${port}`,
    llmBaseUrl: (llmVaultMetadata && llmEndpointOf(llmVaultMetadata)) ?? DEFAULT_LLM_BASE_URL,
    caPath: DEFAULT_CA_PATH,
    variableNames: plannedVariables(plan).map((variable) => variable.name),
    caFingerprint: new X509Certificate(certificate).fingerprint256,
    caDownloadHref: "/egress-ca.pem",
    snippet: runtimeSdkSnippet({ baseUrl: origin, sessionId, mode: "egress", caPath: DEFAULT_CA_PATH }),
  };
}

/** The one attached LLM vault, archived or not: the diagnostics' fix buttons open its page. */
function onlyLlmVaultId(vaults: { id: string; metadata: Record<string, string> }[]): string | null {
  const llm = vaults.filter((vault) => vaultKindOf(vault.metadata) === "llm");
  return llm.length === 1 ? (llm[0]?.id ?? null) : null;
}

export const generateMetadata = titleFromId("sessionId", "Session");

export default async function SessionPage({ params }: { params: Params }) {
  const user = await requireUser();
  const { sessionId } = await params;
  const session = await loadSession(sessionId);
  const [conversation, diagnostics, environment, vaults, origin, plan] = await Promise.all([
    loadConversation(session.id),
    getSessionDiagnostics(session.id).then(serializeDiagnostics),
    getEnvironment(session.environment_id),
    Promise.all(session.vault_ids.map(async (vaultId) => serializeVault(await getVault(vaultId)))),
    headers().then(publicOriginFrom),
    sessionEgressPlan(session.id),
  ]);
  // The LLM vault first: it is the one the diagnostics are about.
  const attached = [...vaults].sort((a, b) => Number(vaultKindOf(b.metadata) === "llm") - Number(vaultKindOf(a.metadata) === "llm"));
  const archived = session.archived_at !== null;
  const writable = userMay(user, "write");
  const userMetadata = Object.entries(session.metadata);
  const llmVault = attached.find((vault) => vaultKindOf(vault.metadata) === "llm" && vault.archived_at === null) ?? null;
  const egress = await egressView({ sessionId: session.id, origin, plan, llmVaultMetadata: llmVault?.metadata ?? null });

  return (
    <ConversationProvider
      sessionId={session.id}
      initialEvents={conversation.events}
      initialEarlierPage={conversation.earlierPage}
      storedStatus={session.status}
      storedUsage={session.usage}
      readOnlyReason={readOnlyReason(writable, archived)}
    >
      <ResourceHeader
        docs="session"
        list={{ href: "/sessions", label: "Sessions" }}
        title={session.title ?? "Untitled session"}
        id={session.id}
        archivedAt={session.archived_at}
        badges={
          <>
            {diagnostics.ready ? (
              <Badge tone="success" dot>
                Ready
              </Badge>
            ) : (
              <Badge tone="danger" dot>
                Not ready
              </Badge>
            )}
            <ConversationStatus />
          </>
        }
        actions={
          writable ? (
            <ResourceActions
              noun="session"
              archived={archived}
              archive={{
                action: archiveSessionAction.bind(null, session.id),
                done: "Session archived; it is read-only now.",
                body: "The session becomes read-only: its title, metadata and vaults can no longer change. It stays listed under “Show archived”.",
              }}
              remove={{
                action: deleteSessionAction,
                hiddenFields: { session_id: session.id },
                confirmField: "confirm_id",
                expected: session.id,
                monospaceInput: true,
                children:
                  "This permanently deletes the session and its runtime placeholders; its runtime loses model access at once. It cannot be undone. Archive it instead to keep it read-only.",
              }}
            >
              <Link href={`/sessions/${session.id}/edit`} className={buttonClasses("secondary")}>
                Edit session
              </Link>
            </ResourceActions>
          ) : null
        }
      />
      <ArchivedAlert archived={archived} noun="session">
        It is read-only: its title, metadata and vaults can no longer change.
      </ArchivedAlert>

      <div className="space-y-5">
        <Conversation />

        <DiagnosticsPanel diagnostics={diagnostics} sessionId={session.id} llmVaultId={onlyLlmVaultId(attached)} canFix={writable && !archived} />

        <Card>
          <CardHeader title="Settings" description="The agent version and environment are fixed when the session starts." />
          <CardBody className="py-1">
            <dl className="grid gap-x-8 sm:grid-cols-2 xl:grid-cols-3">
              <Setting label="Agent">
                <Link href={`/agents/${session.agent.id}`} className="font-medium hover:underline">
                  {session.agent.name}
                </Link>{" "}
                <span className="text-fg-muted">
                  version {session.agent.version} · <span className="font-mono text-[12.5px] whitespace-nowrap">{session.agent.model.id}</span>
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
              <MetadataSetting entries={userMetadata} />
            </dl>
          </CardBody>
        </Card>

        <Card>
          <CardHeader
            title="Attached vaults"
            description="The LLM vault first. Its token reaches only its model endpoint, through the credential boundary or the egress proxy."
          />
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
            <DataTable
              label="Attached vaults"
              columns={["Vault", "Kind", { title: "Model endpoint", className: "hidden md:table-cell" }]}
              className="rounded-none border-0 shadow-none"
            >
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
            </DataTable>
          )}
        </Card>

        <RuntimePanel
          sessionId={session.id}
          boundaryUrl={boundaryBaseUrl(origin, session.id, configuredBoundaryDoor())}
          ready={diagnostics.ready}
          engine={SUPPORTED_ENGINE}
          boundarySnippet={runtimeSdkSnippet({ baseUrl: origin, sessionId: session.id, mode: "boundary", caPath: DEFAULT_CA_PATH })}
          egress={egress}
          reach={
            <EgressReachTable
              reach={serializeEgressReach(plan)}
              networking={storedEnvironmentConfig(environment.config).networking}
              packageManagerHosts={PACKAGE_MANAGER_HOSTS}
              environment={{ id: environment.id, name: environment.name }}
              vaultNames={Object.fromEntries(vaults.map((vault) => [vault.id, vault.display_name]))}
              editHref={writable && !archived ? `/sessions/${session.id}/edit` : null}
            />
          }
        />

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
    </ConversationProvider>
  );
}
