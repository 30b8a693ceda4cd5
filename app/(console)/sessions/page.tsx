import type { Metadata } from "next";
import { SessionsTable } from "@/components/sessions/sessions-table";
import { userMay } from "@/lib/auth/policy";
import { requireUser } from "@/lib/auth/session";
import { readAddress } from "@/lib/queries/address-state";
import { sessionKeys, sessionListAddress, SESSIONS_PAGE_SIZE, type SessionListParams } from "@/lib/queries/sessions";
import { sessionRows } from "@/lib/server/console-rows";
import { listSessions } from "@/lib/server/sessions";
import { sessionFormOptions } from "./session-form-options";
import { ListPageHeader, readListPage, type SearchParams } from "../resource-pages";

export const metadata: Metadata = { title: "Sessions" };

/**
 * The page for this address (agent, status, archived, page cursor) is rendered here, from the same
 * services GET /v1/sessions?include=console_row uses; every change after that reads that route.
 */
export default async function SessionsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  const query = await searchParams;
  const state = readAddress(sessionListAddress, query);
  const params: SessionListParams = {
    agentId: /^[A-Za-z0-9_-]{1,128}$/.test(state.agent) ? state.agent : "",
    status: state.status ?? "",
    includeArchived: state.archived,
    page: state.page,
  };
  const [options, page] = await Promise.all([
    sessionFormOptions(),
    readListPage(
      () =>
        listSessions({
          limit: SESSIONS_PAGE_SIZE,
          include_archived: params.includeArchived,
          ...(params.agentId ? { agent_id: params.agentId } : {}),
          ...(state.status ? { "statuses[]": [state.status] } : {}),
          ...(params.page ? { page: params.page } : {}),
        }),
      "/sessions",
      query,
    ),
  ]);
  const writable = userMay(user, "write");
  // A server component renders once per request; its time stamps the rows it read.
  // eslint-disable-next-line react-hooks/purity
  const at = Date.now();

  return (
    <>
      <ListPageHeader
        page={{
          title: "Sessions",
          docs: "sessions",
          description: "Runs of an agent in an environment. Each reaches the model only through its one LLM vault, via the credential boundary.",
          newLink: { href: "/sessions/new", label: "New session" },
        }}
        writable={writable}
      />
      <SessionsTable
        initial={{
          key: sessionKeys.list(params),
          data: { data: await sessionRows(page.items), next_page: page.nextPage, prev_page: page.prevPage },
          at,
        }}
        agents={options.agents.map((agent) => ({ id: agent.id, name: agent.name }))}
        canWrite={writable}
        setup={{ agents: options.agents.length, environments: options.environments.length, llmVaults: options.llmVaults.length }}
      />
    </>
  );
}
