import type { Metadata } from "next";
import { SessionsTable } from "@/components/sessions/sessions-table";
import { userMay } from "@/lib/auth/policy";
import { requireUser } from "@/lib/auth/session";
import type { SessionListParams } from "@/lib/queries/sessions";
import { sessionFormOptions } from "./session-form-options";
import { SESSION_STATUSES } from "@/lib/validation/sessions";
import { ListPageHeader, searchParam, type SearchParams } from "../resource-pages";

export const metadata: Metadata = { title: "Sessions" };

/** The list reads /v1/sessions through TanStack Query; the server supplies the filter's agents and what setup exists. */
export default async function SessionsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  const query = await searchParams;
  const statusParam = searchParam(query.status);
  const options = await sessionFormOptions();
  const params: SessionListParams = {
    agentId: /^[A-Za-z0-9_-]{1,128}$/.test(searchParam(query.agent)) ? searchParam(query.agent) : "",
    status: SESSION_STATUSES.find((status) => status === statusParam) ?? "",
    includeArchived: searchParam(query.archived) === "1",
    page: null,
  };
  const writable = userMay(user, "write");

  return (
    <>
      <ListPageHeader
        page={{
          title: "Sessions",
          description: "Runs of an agent in an environment. Each reaches the model only through its one LLM vault, via the credential boundary.",
          newLink: { href: "/sessions/new", label: "New session" },
        }}
        writable={writable}
      />
      <SessionsTable
        initialParams={params}
        agents={options.agents.map((agent) => ({ id: agent.id, name: agent.name }))}
        canWrite={writable}
        setup={{ agents: options.agents.length, environments: options.environments.length, llmVaults: options.llmVaults.length }}
      />
    </>
  );
}
