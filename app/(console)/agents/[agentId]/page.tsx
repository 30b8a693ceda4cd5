import type { Metadata } from "next";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { PageHeader } from "@/components/ui/page-header";
import { Setting } from "@/components/ui/setting";
import { AgentForm } from "@/components/agents/agent-form";
import { ArchiveAgentButton } from "@/components/agents/archive-agent-button";
import { userMay } from "@/lib/auth/policy";
import { requireUser } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format";
import { loadOrNotFound, resourceTitle } from "@/lib/page-resource";
import { getAgent } from "@/lib/server/agents";
import { serializeAgent } from "@/lib/serializers/agents";

type Params = Promise<{ agentId: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: resourceTitle((await params).agentId, "Agent") };
}

export default async function AgentPage({ params }: { params: Params }) {
  const user = await requireUser();
  const agent = await loadOrNotFound((await params).agentId, async (id) => serializeAgent(await getAgent(id)));
  const archived = agent.archived_at !== null;
  const editable = userMay(user, "write") && !archived;
  const metadata = Object.entries(agent.metadata);

  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/agents" className="hover:text-fg hover:underline">
            Agents
          </Link>
        }
        title={agent.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <Badge tone="accent" className="text-[13px]">
              <span data-testid="agent-version">Version {agent.version}</span>
            </Badge>
            {archived ? <Badge tone="warning">Archived {formatDateTime(agent.archived_at)}</Badge> : null}
            <span className="font-mono text-xs">{agent.id}</span>
            <CopyButton text={agent.id} label="Copy id" variant="ghost" />
          </span>
        }
        actions={editable ? <ArchiveAgentButton agentId={agent.id} agentName={agent.name} /> : null}
      />
      {archived ? (
        <Alert tone="warning" className="mb-5" title="This agent is archived">
          It is read-only and starts no new sessions.
        </Alert>
      ) : null}
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
                <Setting label="Metadata">
                  {metadata.length === 0 ? (
                    <span className="text-fg-subtle">None</span>
                  ) : (
                    <ul className="space-y-1">
                      {metadata.map(([key, value]) => (
                        <li key={key} className="font-mono text-[12.5px] break-all">
                          <span className="text-fg-muted">{key}</span> = {value}
                        </li>
                      ))}
                    </ul>
                  )}
                </Setting>
              </dl>
              <div className="border-t border-border py-2.5">
                <p className="text-xs text-fg-muted">System prompt</p>
                <pre className="mt-1 max-h-80 overflow-auto font-sans text-sm whitespace-pre-wrap">{agent.system ?? "None"}</pre>
              </div>
            </CardBody>
          </Card>
        )}
      </div>
    </>
  );
}
