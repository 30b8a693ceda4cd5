"use client";

import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { TD } from "@/components/ui/table";
import { type InitialPage } from "@/components/console/list-view";
import { NamedList } from "@/components/console/named-list";
import { DateCell, ResourceRow } from "@/components/console/resource-table";
import { agentKeys, AGENTS_PAGE_SIZE, fetchAgents } from "@/lib/queries/agents";
import type { Page } from "@/lib/queries/v1";
import type { AgentObject } from "@/lib/serializers/agents";

function AgentRow({ agent }: { agent: AgentObject }) {
  return (
    <ResourceRow href={`/agents/${agent.id}`} id={agent.id} archived={agent.archived_at !== null} title={agent.name} testId="agent-row">
      <TD label="Model" className="font-mono text-xs">
        {agent.model.id}
      </TD>
      <TD label="Version">
        <Badge tone="accent">v{agent.version}</Badge>
      </TD>
      <DateCell at={agent.updated_at} label="Updated" />
    </ResourceRow>
  );
}

/** The agents list: search by name, show archived, page through; all in the address. */
export function AgentsTable({ initial, empty }: { initial: InitialPage<Page<AgentObject>>; empty: ReactNode }) {
  return (
    <NamedList
      label="Agents"
      noun={["agent", "agents"]}
      pageSize={AGENTS_PAGE_SIZE}
      initial={initial}
      queryKey={agentKeys.list}
      fetcher={fetchAgents}
      columns={[{ title: "Model" }, { title: "Version" }, { title: "Updated", from: "lg" }]}
      row={(agent) => <AgentRow key={agent.id} agent={agent} />}
      empty={empty}
    />
  );
}
