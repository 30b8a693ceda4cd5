import type { Metadata } from "next";
import { EnvironmentIcon } from "@/components/console/icons";
import { EnvironmentsTable } from "@/components/environments/environments-table";
import { userMay } from "@/lib/auth/policy";
import { requireUser } from "@/lib/auth/session";
import { listEnvironments } from "@/lib/server/environments";
import { readAddress } from "@/lib/queries/address-state";
import { environmentKeys, ENVIRONMENTS_PAGE_SIZE } from "@/lib/queries/environments";
import { namedListAddress, type NamedListParams } from "@/lib/queries/list-state";
import { serializeEnvironment } from "@/lib/serializers/environments";
import { readListPage, ResourceEmptyState, ResourceListHeader, type ResourceListPage, type SearchParams } from "../resource-pages";

export const metadata: Metadata = { title: "Environments" };

const PAGE: ResourceListPage = {
  title: "Environments",
  docs: "environments",
  description: "Where a session's runtime runs and which hosts it may reach.",
  newLink: { href: "/environments/new", label: "New environment" },
  deletedMessage: "Environment deleted.",
  empty: {
    icon: <EnvironmentIcon className="size-5" />,
    noun: "environments",
    createLabel: "Create an environment",
    body: (
      <p>
        An environment says where a session&apos;s runtime runs and what it may reach: any host, or only the hosts you list. A session needs one, plus an agent
        and an LLM vault.
      </p>
    ),
  },
};

/** The page for this address (search, archived, page cursor) is rendered here; every change after it reads GET /v1/environments. */
export default async function EnvironmentsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  const query = await searchParams;
  const state = readAddress(namedListAddress, query);
  const params: NamedListParams = { q: state.q.slice(0, 255), includeArchived: state.archived, page: state.page, limit: ENVIRONMENTS_PAGE_SIZE };
  const page = await readListPage(
    () => listEnvironments({ limit: params.limit, includeArchived: params.includeArchived, page: params.page ?? undefined }, params.q.trim() || undefined),
    "/environments",
    query,
  );
  const writable = userMay(user, "write");
  // A server component renders once per request; its time stamps the rows it read.
  // eslint-disable-next-line react-hooks/purity
  const at = Date.now();

  return (
    <>
      <ResourceListHeader page={PAGE} query={query} writable={writable} />
      <EnvironmentsTable
        initial={{ key: environmentKeys.list(params), data: { data: page.items.map(serializeEnvironment), next_page: page.nextPage }, at }}
        empty={<ResourceEmptyState page={PAGE} writable={writable} />}
      />
    </>
  );
}
