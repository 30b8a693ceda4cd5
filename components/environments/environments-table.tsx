"use client";

import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { TD } from "@/components/ui/table";
import { type InitialPage } from "@/components/console/list-view";
import { NamedList } from "@/components/console/named-list";
import { DateCell, ResourceRow } from "@/components/console/resource-table";
import { environmentKeys, ENVIRONMENTS_PAGE_SIZE, fetchEnvironments } from "@/lib/queries/environments";
import type { Page } from "@/lib/queries/v1";
import type { EnvironmentObject } from "@/lib/serializers/environments";

function EnvironmentRow({ environment }: { environment: EnvironmentObject }) {
  const networking = environment.config.networking;
  return (
    <ResourceRow
      href={`/environments/${environment.id}`}
      id={environment.id}
      archived={environment.archived_at !== null}
      title={environment.name}
      testId="environment-row"
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
}

/** The environments list: search by name, show archived, page through; all in the address. */
export function EnvironmentsTable({ initial, empty }: { initial: InitialPage<Page<EnvironmentObject>>; empty: ReactNode }) {
  return (
    <NamedList
      label="Environments"
      noun={["environment", "environments"]}
      pageSize={ENVIRONMENTS_PAGE_SIZE}
      initial={initial}
      queryKey={environmentKeys.list}
      fetcher={fetchEnvironments}
      columns={[{ title: "Networking" }, { title: "Updated", from: "lg" }]}
      row={(environment) => <EnvironmentRow key={environment.id} environment={environment} />}
      empty={empty}
    />
  );
}
