import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { TD } from "@/components/ui/table";
import { AgentIcon } from "@/components/console/icons";
import { DateCell, ResourceRow, ResourceTable } from "@/components/console/resource-table";
import { userMay } from "@/lib/auth/policy";
import { requireUser } from "@/lib/auth/session";
import { listAgents } from "@/lib/server/agents";
import { serializeAgent } from "@/lib/serializers/agents";
import { ResourceListShell, type ResourceListPage } from "../resource-pages";

export const metadata: Metadata = { title: "Agents" };

const LIST_LIMIT = 100;

const PAGE: ResourceListPage = {
  title: "Agents",
  description: "The model, system prompt and settings a session runs. Every saved change is a new version; sessions keep the version they started with.",
  newLink: { href: "/agents/new", label: "New agent" },
  empty: {
    icon: <AgentIcon className="size-5" />,
    noun: "agents",
    createLabel: "Create an agent",
    body: (
      <p>
        An agent names the model (for example <span className="font-mono">claude-sonnet-4-5</span>) and the system prompt. A session needs one, plus an
        environment and an LLM vault.
      </p>
    ),
  },
};

export default async function AgentsPage({ searchParams }: { searchParams: Promise<{ archived?: string }> }) {
  const user = await requireUser();
  const query = await searchParams;
  const { items, nextPage } = await listAgents({ limit: LIST_LIMIT, includeArchived: query.archived === "1" });
  const agents = items.map(serializeAgent);

  return (
    <ResourceListShell page={PAGE} query={query} writable={userMay(user, "write")} count={agents.length} limit={LIST_LIMIT} more={nextPage !== null}>
      <ResourceTable label="Agents" columns={[{ title: "Name" }, { title: "Model" }, { title: "Version" }, { title: "Updated", from: "lg" }]}>
        {agents.map((agent) => (
          <ResourceRow key={agent.id} href={`/agents/${agent.id}`} id={agent.id} archived={agent.archived_at !== null} title={agent.name}>
            <TD label="Model" className="font-mono text-xs">
              {agent.model.id}
            </TD>
            <TD label="Version">
              <Badge tone="accent">v{agent.version}</Badge>
            </TD>
            <DateCell at={agent.updated_at} label="Updated" />
          </ResourceRow>
        ))}
      </ResourceTable>
    </ResourceListShell>
  );
}
