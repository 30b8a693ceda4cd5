import type { Metadata } from "next";
import Link from "next/link";
import { AuditIcon } from "@/components/console/icons";
import { Badge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input, Select } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { DocsLink } from "@/components/console/docs-link";
import { DataTable, TD, TR } from "@/components/ui/table";
import { Timestamp } from "@/components/ui/timestamp";
import { requireUser } from "@/lib/auth/session";
import { ConsoleError } from "@/lib/errors";
import { auditActorLabels, auditActorOptions, auditFacets, listAuditEvents, type AuditFilters } from "@/lib/server/audit-log";

export const metadata: Metadata = { title: "Audit log" };

const PAGE_SIZE = 50;

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function single(value: string | string[] | undefined): string {
  return typeof value === "string" ? value.slice(0, 200) : "";
}

/** Links to the resource when the console has a page for it. */
function resourceHref(type: string, id: string, details: unknown): string | null {
  if (type === "vault") return `/vaults/${id}`;
  if (type === "vault_credential" && details && typeof details === "object" && "vault_id" in details && typeof details.vault_id === "string") {
    return `/vaults/${details.vault_id}`;
  }
  if (type === "api_key") return "/api-keys";
  if (type === "user") return "/users";
  return null;
}

const ACTION_TONES: Record<string, "danger" | "warning" | "success" | "info" | "neutral"> = {
  delete: "danger",
  archive: "warning",
  revoke: "danger",
  disable: "warning",
  create: "success",
  rotate: "info",
};

function actionTone(action: string) {
  return ACTION_TONES[action.split(".").pop() ?? ""] ?? "neutral";
}

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  await requireUser();
  const query = await searchParams;
  const filters: AuditFilters = {
    actor: single(query.actor) || undefined,
    action: single(query.action) || undefined,
    resourceType: single(query.resource_type) || undefined,
    resourceId: single(query.resource_id).trim() || undefined,
  };
  const page = single(query.page) || undefined;
  let result: Awaited<ReturnType<typeof listAuditEvents>>;
  let pageError: string | null = null;
  try {
    result = await listAuditEvents(filters, { limit: PAGE_SIZE, page });
  } catch (error) {
    if (!(error instanceof ConsoleError)) throw error;
    pageError = "That page link is no longer valid; showing the newest entries.";
    result = await listAuditEvents(filters, { limit: PAGE_SIZE });
  }
  const [labels, actors, facets] = await Promise.all([auditActorLabels(result.items), auditActorOptions(), auditFacets()]);
  const filtered = Boolean(filters.actor || filters.action || filters.resourceType || filters.resourceId);
  const filterParams = new URLSearchParams(
    Object.entries({
      actor: filters.actor,
      action: filters.action,
      resource_type: filters.resourceType,
      resource_id: filters.resourceId,
    }).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
  const nextHref = result.nextPage ? `/audit?${new URLSearchParams([...filterParams, ["page", result.nextPage]])}` : null;

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change made from this console and through /v1: who, what, which resource, when and from where. Never a secret."
        actions={<DocsLink section="audit" />}
      />
      <form
        method="get"
        action="/audit"
        className="mb-3 grid gap-2 rounded-lg border border-border bg-surface p-3 shadow-xs sm:grid-cols-2 lg:grid-cols-[1.3fr_1fr_1fr_1fr_auto]"
        aria-label="Filter audit log"
      >
        <label className="text-xs text-fg-muted">
          Actor
          <Select name="actor" defaultValue={filters.actor ?? ""} className="mt-1">
            <option value="">Anyone</option>
            {actors.map((actor) => (
              <option key={actor.value} value={actor.value}>
                {actor.label}
              </option>
            ))}
          </Select>
        </label>
        <label className="text-xs text-fg-muted">
          Action
          <Select name="action" defaultValue={filters.action ?? ""} className="mt-1">
            <option value="">Any action</option>
            {facets.actions.map((action) => (
              <option key={action}>{action}</option>
            ))}
          </Select>
        </label>
        <label className="text-xs text-fg-muted">
          Resource type
          <Select name="resource_type" defaultValue={filters.resourceType ?? ""} className="mt-1">
            <option value="">Any resource</option>
            {facets.resourceTypes.map((type) => (
              <option key={type}>{type}</option>
            ))}
          </Select>
        </label>
        <label className="text-xs text-fg-muted">
          Resource id
          <Input
            name="resource_id"
            defaultValue={filters.resourceId ?? ""}
            placeholder="vlt_…"
            className="mt-1 font-mono text-[13px]"
            autoComplete="off"
            spellCheck={false}
          />
        </label>
        <div className="flex items-end gap-2">
          <button type="submit" className={buttonClasses("primary")}>
            Filter
          </button>
          {filtered ? (
            <Link href="/audit" className={buttonClasses("ghost")}>
              Clear
            </Link>
          ) : null}
        </div>
      </form>
      {pageError ? <p className="mb-2 text-[13px] text-fg-muted">{pageError}</p> : null}
      {result.items.length === 0 ? (
        <EmptyState icon={<AuditIcon className="size-5" />} title={filtered ? "No entries match these filters" : "Nothing recorded yet"}>
          {filtered ? "Try another actor, action or resource." : "Changes to vaults, credentials, API keys and users appear here as they happen."}
        </EmptyState>
      ) : (
        <>
          <DataTable label="Audit log" columns={["Time", "Actor", "Action", "Resource", "Client address", "Request"]}>
            {result.items.map((event) => {
              const actorKey = event.actorType === "system" ? "system" : `${event.actorType}:${event.actorId ?? ""}`;
              const actor = labels.get(actorKey);
              const href = resourceHref(event.resourceType, event.resourceId, event.details);
              return (
                <TR key={event.id} data-testid="audit-row">
                  <TD label="Time" className="text-xs whitespace-nowrap text-fg-muted">
                    <Timestamp at={event.occurredAt.toISOString()} />
                  </TD>
                  <TD label="Actor" className="max-w-60">
                    <span className="flex items-center gap-1.5">
                      <Badge tone={event.actorType === "user" ? "accent" : event.actorType === "api_key" ? "info" : "neutral"}>
                        {event.actorType === "api_key" ? "key" : event.actorType}
                      </Badge>
                      <span className="truncate">{actor?.label ?? event.actorId ?? "Unknown"}</span>
                      {actor?.detail ? <span className="font-mono text-[11.5px] text-fg-subtle">{actor.detail}</span> : null}
                    </span>
                  </TD>
                  <TD label="Action">
                    <Badge tone={actionTone(event.action)}>{event.action}</Badge>
                  </TD>
                  <TD label="Resource" className="max-w-64">
                    <span className="block text-xs text-fg-muted">{event.resourceType}</span>
                    {href ? (
                      <Link href={href} className="block truncate font-mono text-xs hover:underline">
                        {event.resourceId}
                      </Link>
                    ) : (
                      <span className="block truncate font-mono text-xs">{event.resourceId}</span>
                    )}
                  </TD>
                  <TD label="Client address" className="font-mono text-xs text-fg-muted">
                    {event.clientAddress ?? "—"}
                  </TD>
                  <TD label="Request" className="max-w-36 truncate font-mono text-[11.5px] text-fg-subtle" title={event.requestId ?? undefined}>
                    {event.requestId ?? "—"}
                  </TD>
                </TR>
              );
            })}
          </DataTable>
          <div className="mt-3 flex items-center justify-between text-[13px] text-fg-muted">
            <span>
              {result.items.length} entr{result.items.length === 1 ? "y" : "ies"}
              {page ? " on this page" : ""}
            </span>
            <div className="flex gap-2">
              {page ? (
                <Link href={`/audit${filterParams.size ? `?${filterParams}` : ""}`} className={buttonClasses("secondary", "sm")}>
                  Newest
                </Link>
              ) : null}
              {nextHref ? (
                <Link href={nextHref} className={buttonClasses("secondary", "sm")}>
                  Older
                </Link>
              ) : null}
            </div>
          </div>
        </>
      )}
    </>
  );
}
