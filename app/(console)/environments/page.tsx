import type { Metadata } from "next";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { ArchivedToggle } from "@/components/console/archived-toggle";
import { ChevronRightIcon, EnvironmentIcon, PlusIcon } from "@/components/console/icons";
import { userMay } from "@/lib/auth/policy";
import { requireUser } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format";
import { listEnvironments } from "@/lib/server/environments";
import { serializeEnvironment } from "@/lib/serializers/environments";

export const metadata: Metadata = { title: "Environments" };

const LIST_LIMIT = 100;

export default async function EnvironmentsPage({ searchParams }: { searchParams: Promise<{ archived?: string; deleted?: string }> }) {
  const user = await requireUser();
  const query = await searchParams;
  const includeArchived = query.archived === "1";
  const { items, nextPage } = await listEnvironments({ limit: LIST_LIMIT, includeArchived });
  const environments = items.map(serializeEnvironment);
  const writable = userMay(user, "write");

  return (
    <>
      <PageHeader
        title="Environments"
        description="Where a session's runtime runs and which hosts it may reach."
        actions={
          writable ? (
            <Link href="/environments/new" className={buttonClasses("primary")}>
              <PlusIcon className="size-4" /> New environment
            </Link>
          ) : null
        }
      />
      {query.deleted === "1" ? (
        <Alert tone="success" className="mb-4">
          Environment deleted.
        </Alert>
      ) : null}
      <div className="mb-3 flex flex-wrap items-center gap-2.5">
        <ArchivedToggle checked={includeArchived} />
      </div>
      {environments.length === 0 ? (
        <EmptyState
          icon={<EnvironmentIcon className="size-5" />}
          title={includeArchived ? "No environments at all" : "No environments yet"}
          actions={
            writable ? (
              <Link href="/environments/new" className={buttonClasses("primary")}>
                <PlusIcon className="size-4" /> Create an environment
              </Link>
            ) : null
          }
        >
          <p>
            An environment says where a session&apos;s runtime runs and what it may reach: any host, or only the hosts you list. A session needs one, plus an
            agent and an LLM vault.
          </p>
          {writable ? null : <p className="mt-2">Your role is read-only; an owner or admin can create one.</p>}
        </EmptyState>
      ) : (
        <>
          <Table label="Environments">
            <THead>
              <tr>
                <TH>Name</TH>
                <TH>Networking</TH>
                <TH className="hidden lg:table-cell">Updated</TH>
                <TH>
                  <span className="sr-only">Open</span>
                </TH>
              </tr>
            </THead>
            <TBody>
              {environments.map((environment) => {
                const networking = environment.config.networking;
                return (
                  <TR key={environment.id} className="group relative">
                    <TD className="max-w-72">
                      <Link href={`/environments/${environment.id}`} className="block truncate font-medium text-fg after:absolute after:inset-0 hover:underline">
                        {environment.name}
                      </Link>
                      <span className="flex items-center gap-1.5">
                        <span className="truncate font-mono text-[11.5px] text-fg-subtle">{environment.id}</span>
                        {environment.archived_at ? <Badge>Archived</Badge> : null}
                      </span>
                    </TD>
                    <TD>
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
                    <TD className="hidden text-xs whitespace-nowrap text-fg-muted lg:table-cell">{formatDateTime(environment.updated_at)}</TD>
                    <TD className="w-8 text-fg-subtle">
                      <ChevronRightIcon className="size-4 transition-transform group-hover:translate-x-0.5" />
                    </TD>
                  </TR>
                );
              })}
            </TBody>
          </Table>
          {nextPage ? <p className="mt-3 text-[13px] text-fg-muted">Showing the newest {LIST_LIMIT}; list the rest with the SDK.</p> : null}
        </>
      )}
    </>
  );
}
