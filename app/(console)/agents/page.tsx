import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { ArchivedToggle } from "@/components/console/archived-toggle";
import { AgentIcon, ChevronRightIcon, PlusIcon } from "@/components/console/icons";
import { userMay } from "@/lib/auth/policy";
import { requireUser } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format";
import { listAgents } from "@/lib/server/agents";
import { serializeAgent } from "@/lib/serializers/agents";

export const metadata: Metadata = { title: "Agents" };

const LIST_LIMIT = 100;

export default async function AgentsPage({ searchParams }: { searchParams: Promise<{ archived?: string }> }) {
  const user = await requireUser();
  const includeArchived = (await searchParams).archived === "1";
  const { items, nextPage } = await listAgents({ limit: LIST_LIMIT, includeArchived });
  const agents = items.map(serializeAgent);
  const writable = userMay(user, "write");

  return (
    <>
      <PageHeader
        title="Agents"
        description="The model, system prompt and settings a session runs. Every saved change is a new version; sessions keep the version they started with."
        actions={
          writable ? (
            <Link href="/agents/new" className={buttonClasses("primary")}>
              <PlusIcon className="size-4" /> New agent
            </Link>
          ) : null
        }
      />
      <div className="mb-3 flex flex-wrap items-center gap-2.5">
        <ArchivedToggle checked={includeArchived} />
      </div>
      {agents.length === 0 ? (
        <EmptyState
          icon={<AgentIcon className="size-5" />}
          title={includeArchived ? "No agents at all" : "No agents yet"}
          actions={
            writable ? (
              <Link href="/agents/new" className={buttonClasses("primary")}>
                <PlusIcon className="size-4" /> Create an agent
              </Link>
            ) : null
          }
        >
          <p>
            An agent names the model (for example <span className="font-mono">claude-sonnet-4-5</span>) and the system prompt. A session needs one, plus an
            environment and an LLM vault.
          </p>
          {writable ? null : <p className="mt-2">Your role is read-only; an owner or admin can create one.</p>}
        </EmptyState>
      ) : (
        <>
          <Table label="Agents">
            <THead>
              <tr>
                <TH>Name</TH>
                <TH>Model</TH>
                <TH>Version</TH>
                <TH className="hidden lg:table-cell">Updated</TH>
                <TH>
                  <span className="sr-only">Open</span>
                </TH>
              </tr>
            </THead>
            <TBody>
              {agents.map((agent) => (
                <TR key={agent.id} className="group relative">
                  <TD className="max-w-72">
                    <Link href={`/agents/${agent.id}`} className="block truncate font-medium text-fg after:absolute after:inset-0 hover:underline">
                      {agent.name}
                    </Link>
                    <span className="flex items-center gap-1.5">
                      <span className="truncate font-mono text-[11.5px] text-fg-subtle">{agent.id}</span>
                      {agent.archived_at ? <Badge>Archived</Badge> : null}
                    </span>
                  </TD>
                  <TD className="font-mono text-xs">{agent.model.id}</TD>
                  <TD>
                    <Badge tone="accent">v{agent.version}</Badge>
                  </TD>
                  <TD className="hidden text-xs whitespace-nowrap text-fg-muted lg:table-cell">{formatDateTime(agent.updated_at)}</TD>
                  <TD className="w-8 text-fg-subtle">
                    <ChevronRightIcon className="size-4 transition-transform group-hover:translate-x-0.5" />
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
          {nextPage ? <p className="mt-3 text-[13px] text-fg-muted">Showing the newest {LIST_LIMIT}; list the rest with the SDK.</p> : null}
        </>
      )}
    </>
  );
}
