import type { Metadata } from "next";
import { AgentsTable } from "@/components/agents/agents-table";
import { AgentIcon } from "@/components/console/icons";
import { userMay } from "@/lib/auth/policy";
import { requireUser } from "@/lib/auth/session";
import { listAgents } from "@/lib/server/agents";
import { readAddress } from "@/lib/queries/address-state";
import { agentKeys, AGENTS_PAGE_SIZE } from "@/lib/queries/agents";
import { namedListAddress, type NamedListParams } from "@/lib/queries/list-state";
import { serializeAgent } from "@/lib/serializers/agents";
import { readListPage, ResourceEmptyState, ResourceListHeader, type ResourceListPage, type SearchParams } from "../resource-pages";

export const metadata: Metadata = { title: "Agents" };

const PAGE: ResourceListPage = {
  title: "Agents",
  docs: "agents",
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

/** The page for this address (search, archived, page cursor) is rendered here; every change after it reads GET /v1/agents. */
export default async function AgentsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  const query = await searchParams;
  const state = readAddress(namedListAddress, query);
  const params: NamedListParams = { q: state.q.slice(0, 255), includeArchived: state.archived, page: state.page, limit: AGENTS_PAGE_SIZE };
  const page = await readListPage(
    () => listAgents({ limit: params.limit, includeArchived: params.includeArchived, page: params.page ?? undefined }, {}, params.q.trim() || undefined),
    "/agents",
    query,
  );
  const writable = userMay(user, "write");
  // A server component renders once per request; its time stamps the rows it read.
  // eslint-disable-next-line react-hooks/purity
  const at = Date.now();

  return (
    <>
      <ResourceListHeader page={PAGE} query={query} writable={writable} />
      <AgentsTable
        initial={{ key: agentKeys.list(params), data: { data: page.items.map(serializeAgent), next_page: page.nextPage }, at }}
        empty={<ResourceEmptyState page={PAGE} writable={writable} />}
      />
    </>
  );
}
