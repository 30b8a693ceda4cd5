import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { PageHeader } from "@/components/ui/page-header";
import { AgentForm } from "@/components/agents/agent-form";
import { ArchiveAgentButton } from "@/components/agents/archive-agent-button";
import { canWrite } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { ConsoleError } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { getAgent } from "@/lib/server/agents";
import { serializeAgent } from "@/lib/validation/agents";

type Params = Promise<{ agentId: string }>;
const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { agentId } = await params;
  return { title: ID_PATTERN.test(agentId) ? agentId : "Agent" };
}

async function loadAgent(agentId: string) {
  if (!ID_PATTERN.test(agentId)) notFound();
  try {
    return serializeAgent(await getAgent(agentId));
  } catch (error) {
    if (error instanceof ConsoleError && error.type === "not_found_error") notFound();
    throw error;
  }
}

function Setting({ label, children, mono }: { label: string; children: ReactNode; mono?: boolean }) {
  return (
    <div className="grid content-start gap-1 border-b border-border py-2.5 last:border-b-0 sm:border-b-0">
      <dt className="text-xs text-fg-muted">{label}</dt>
      <dd className={mono ? "min-w-0 font-mono text-[13px] break-all" : "min-w-0 text-sm"}>{children}</dd>
    </div>
  );
}

export default async function AgentPage({ params }: { params: Params }) {
  const user = await requireUser();
  const agent = await loadAgent((await params).agentId);
  const archived = agent.archived_at !== null;
  const editable = canWrite(user.role) && !archived;
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
