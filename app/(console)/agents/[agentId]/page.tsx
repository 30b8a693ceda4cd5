import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Setting } from "@/components/ui/setting";
import { AgentForm } from "@/components/agents/agent-form";
import { AgentToolsSummary } from "@/components/agents/agent-tools-summary";
import { ResourceActions } from "@/components/console/resource-actions";
import { MetadataSetting } from "@/components/console/metadata-setting";
import { ArchivedAlert, ResourceHeader } from "@/components/console/resource-header";
import { archiveAgentAction } from "@/lib/actions/agents";
import { userMay } from "@/lib/auth/policy";
import { requireUser } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format";
import { toolsFormValues } from "@/lib/forms/agent-tools-form";
import { loadOrNotFound } from "@/lib/page-resource";
import { getAgent } from "@/lib/server/agents";
import { serializeAgent } from "@/lib/serializers/agents";
import { titleFromId } from "../../resource-pages";

type Params = Promise<{ agentId: string }>;

export const generateMetadata = titleFromId("agentId", "Agent");

export default async function AgentPage({ params }: { params: Params }) {
  const user = await requireUser();
  const agent = await loadOrNotFound((await params).agentId, async (id) => serializeAgent(await getAgent(id)));
  const archived = agent.archived_at !== null;
  const editable = userMay(user, "write") && !archived;
  const metadata = Object.entries(agent.metadata);

  return (
    <>
      <ResourceHeader
        docs="agents"
        list={{ href: "/agents", label: "Agents" }}
        title={agent.name}
        id={agent.id}
        archivedAt={agent.archived_at}
        badges={
          <Badge tone="accent" className="text-[13px]">
            <span data-testid="agent-version">Version {agent.version}</span>
          </Badge>
        }
        actions={
          editable ? (
            <ResourceActions
              noun="agent"
              archived={archived}
              archive={{
                action: archiveAgentAction.bind(null, agent.id),
                done: "Agent archived.",
                body: (
                  <>
                    <span className="font-medium text-fg">{agent.name}</span> becomes read-only and starts no new sessions. Existing sessions keep the version
                    they started with.
                  </>
                ),
              }}
            />
          ) : null
        }
      />
      <ArchivedAlert archived={archived} noun="agent">
        It is read-only and starts no new sessions.
      </ArchivedAlert>
      <div className="space-y-5">
        {editable ? (
          <section aria-labelledby="edit-agent-heading">
            <h2 id="edit-agent-heading" className="mb-2 text-sm font-semibold">
              Edit
            </h2>
            <AgentForm
              initial={{
                agentId: agent.id,
                version: agent.version,
                name: agent.name,
                model: agent.model.id,
                system: agent.system ?? "",
                description: agent.description ?? "",
                tools: toolsFormValues(agent.tools),
                metadata: metadata.map(([key, value]) => ({ key, value })),
              }}
            />
          </section>
        ) : (
          <Card>
            <CardHeader title="Settings" />
            <CardBody className="py-1">
              <dl className="grid gap-x-8 sm:grid-cols-2">
                <Setting label="Model" mono>
                  {agent.model.id}
                </Setting>
                <Setting label="Description">{agent.description ?? <span className="text-fg-subtle">None</span>}</Setting>
                <Setting label="Created">{formatDateTime(agent.created_at)}</Setting>
                <Setting label="Updated">{formatDateTime(agent.updated_at)}</Setting>
                <MetadataSetting entries={metadata} />
              </dl>
              <div className="border-t border-border py-2.5">
                <p className="text-xs text-fg-muted">System prompt</p>
                <pre className="mt-1 max-h-80 overflow-auto font-sans text-sm whitespace-pre-wrap">{agent.system ?? "None"}</pre>
              </div>
              <div className="border-t border-border py-2.5">
                <p className="text-xs text-fg-muted">Tools</p>
                <AgentToolsSummary tools={agent.tools} />
              </div>
            </CardBody>
          </Card>
        )}
      </div>
    </>
  );
}
