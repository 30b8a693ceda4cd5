import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { TD } from "@/components/ui/table";
import { EnvironmentIcon } from "@/components/console/icons";
import { DateCell, ResourceRow, ResourceTable } from "@/components/console/resource-table";
import { userMay } from "@/lib/auth/policy";
import { requireUser } from "@/lib/auth/session";
import { listEnvironments } from "@/lib/server/environments";
import { serializeEnvironment } from "@/lib/serializers/environments";
import { ResourceListShell, type ResourceListPage } from "../resource-pages";

export const metadata: Metadata = { title: "Environments" };

const LIST_LIMIT = 100;

const PAGE: ResourceListPage = {
  title: "Environments",
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

export default async function EnvironmentsPage({ searchParams }: { searchParams: Promise<{ archived?: string; deleted?: string }> }) {
  const user = await requireUser();
  const query = await searchParams;
  const { items, nextPage } = await listEnvironments({ limit: LIST_LIMIT, includeArchived: query.archived === "1" });
  const environments = items.map(serializeEnvironment);

  return (
    <ResourceListShell page={PAGE} query={query} writable={userMay(user, "write")} count={environments.length} limit={LIST_LIMIT} more={nextPage !== null}>
      <ResourceTable label="Environments" columns={[{ title: "Name" }, { title: "Networking" }, { title: "Updated", from: "lg" }]}>
        {environments.map((environment) => {
          const networking = environment.config.networking;
          return (
            <ResourceRow
              key={environment.id}
              href={`/environments/${environment.id}`}
              id={environment.id}
              archived={environment.archived_at !== null}
              title={environment.name}
            >
              <TD label="Networking">
                {networking.type === "limited" ? (
                  <span>
                    <Badge tone="info">Limited</Badge>{" "}
                    <span className="text-xs text-fg-muted">
                      {networking.allowed_hosts.length} host{networking.allowed_hosts.length === 1 ? "" : "s"}
                    </span>
                  </span>
                ) : (
                  <Badge>Unrestricted</Badge>
                )}
              </TD>
              <DateCell at={environment.updated_at} label="Updated" />
            </ResourceRow>
          );
        })}
      </ResourceTable>
    </ResourceListShell>
  );
}
