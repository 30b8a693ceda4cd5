"use client";

import { keepPreviousData, useQueries, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useId, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button, buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Select } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { TD } from "@/components/ui/table";
import { SessionsIcon } from "@/components/console/icons";
import { DateCell, ResourceRow, ResourceTable } from "@/components/console/resource-table";
import { formatDateTime } from "@/lib/format";
import { fetchDiagnostics, fetchEnvironment, fetchSessions, fetchVault, sessionKeys, type SessionListParams } from "@/lib/queries/sessions";
import { SESSION_STATUSES } from "@/lib/validation/sessions";
import { vaultKindOf } from "@/lib/vault-kind";
import type { SessionObject } from "@/lib/serializers/sessions";

export interface AgentOption {
  id: string;
  name: string;
}

export interface SessionsTableProps {
  initialParams: SessionListParams;
  agents: AgentOption[];
  canWrite: boolean;
  /** What exists yet, so the empty state links to what is missing first. */
  setup: { agents: number; environments: number; llmVaults: number };
}

function EnvironmentCell({ environmentId }: { environmentId: string }) {
  const query = useQuery({
    queryKey: sessionKeys.environment(environmentId),
    queryFn: ({ signal }) => fetchEnvironment(environmentId, signal),
  });
  return (
    <>
      <span className="block truncate">{query.data ? query.data.name : query.isError ? "Unknown" : <Spinner className="text-fg-subtle" />}</span>
      <span className="block truncate font-mono text-[11.5px] text-fg-subtle">{environmentId}</span>
    </>
  );
}

function LlmVaultCell({ vaultIds }: { vaultIds: string[] }) {
  const queries = useQueries({
    queries: vaultIds.map((vaultId) => ({
      queryKey: sessionKeys.vault(vaultId),
      queryFn: ({ signal }: { signal: AbortSignal }) => fetchVault(vaultId, signal),
    })),
  });
  if (vaultIds.length === 0) return <span className="text-xs text-fg-subtle">None</span>;
  if (queries.some((query) => query.isPending)) return <Spinner className="text-fg-subtle" />;
  const llmVaults = queries.flatMap((query) => (query.data && vaultKindOf(query.data.metadata) === "llm" ? [query.data] : []));
  const others = vaultIds.length - llmVaults.length;
  return (
    <>
      {llmVaults.length === 0 ? (
        <span className="block text-xs text-fg-subtle">None</span>
      ) : (
        llmVaults.map((vault) => (
          <span key={vault.id} className="block truncate">
            {vault.display_name}
          </span>
        ))
      )}
      {others > 0 ? (
        <span className="block text-[11.5px] text-fg-subtle">
          +{others} other vault{others === 1 ? "" : "s"}
        </span>
      ) : null}
    </>
  );
}

function ReadinessCell({ session }: { session: SessionObject }) {
  const query = useQuery({
    queryKey: sessionKeys.diagnostics(session.id),
    queryFn: ({ signal }) => fetchDiagnostics(session.id, signal),
    staleTime: 0,
  });
  if (query.isPending) return <Spinner className="text-fg-subtle" />;
  if (query.isError) return <span className="text-xs text-fg-subtle">Unknown</span>;
  if (query.data.ready) {
    return (
      <Badge tone="success" dot>
        Ready
      </Badge>
    );
  }
  const failing = query.data.checks.find((check) => !check.ok);
  return (
    <span className="block max-w-64">
      <Badge tone="danger" dot>
        Not ready
      </Badge>
      {failing ? (
        <span className="mt-0.5 block truncate text-[11.5px] text-fg-muted" title={failing.message}>
          <span className="font-mono">{failing.code}</span>: {failing.message}
        </span>
      ) : null}
    </span>
  );
}

function SetupEmptyState({ canWrite, setup }: { canWrite: boolean; setup: SessionsTableProps["setup"] }) {
  const steps = [
    { done: setup.agents > 0, label: "an agent", detail: "the model and system prompt", href: "/agents/new", action: "Create an agent" },
    {
      done: setup.environments > 0,
      label: "an environment",
      detail: "where it runs and what it may reach",
      href: "/environments/new",
      action: "Create an environment",
    },
    {
      done: setup.llmVaults > 0,
      label: "exactly one LLM vault",
      detail: "holding the model token",
      href: "/vaults/new?kind=llm",
      action: "Create an LLM vault",
    },
  ];
  const ready = steps.every((step) => step.done);
  return (
    <EmptyState
      icon={<SessionsIcon className="size-5" />}
      title="No sessions yet"
      actions={
        canWrite ? (
          ready ? (
            <Link href="/sessions/new" className={buttonClasses("primary")}>
              Create a session
            </Link>
          ) : (
            steps
              .filter((step) => !step.done)
              .map((step, index) => (
                <Link key={step.href} href={step.href} className={buttonClasses(index === 0 ? "primary" : "secondary")}>
                  {step.action}
                </Link>
              ))
          )
        ) : null
      }
    >
      <p>
        A session is one run of an agent. It needs <strong className="font-medium text-fg">an agent</strong>,{" "}
        <strong className="font-medium text-fg">an environment</strong> and <strong className="font-medium text-fg">exactly one LLM vault</strong>: the runtime
        reaches the model token only through the credential boundary, never directly.
      </p>
      <ul className="mx-auto mt-3 max-w-sm space-y-1 text-left">
        {steps.map((step) => (
          <li key={step.href} className="flex items-start gap-2">
            <span className={step.done ? "text-success-soft-fg" : "text-fg-subtle"} aria-hidden="true">
              {step.done ? "✓" : "○"}
            </span>
            <span>
              <Link href={step.href.replace("/new", "").replace("?kind=llm", "")} className="font-medium text-fg hover:underline">
                {step.label[0]?.toUpperCase()}
                {step.label.slice(1)}
              </Link>{" "}
              — {step.detail}
              <span className="sr-only">{step.done ? " (done)" : " (missing)"}</span>
            </span>
          </li>
        ))}
      </ul>
      {canWrite ? null : <p className="mt-2">Your role is read-only; an owner or admin can create one.</p>}
    </EmptyState>
  );
}

export function SessionsTable({ initialParams, agents, canWrite, setup }: SessionsTableProps) {
  const agentId = useId();
  const statusId = useId();
  const archivedId = useId();
  const [params, setParams] = useState<SessionListParams>(initialParams);
  const [pageNumber, setPageNumber] = useState(1);

  const query = useQuery({
    queryKey: sessionKeys.list(params),
    queryFn: ({ signal }) => fetchSessions(params, signal),
    staleTime: 0,
    placeholderData: keepPreviousData,
  });

  // Filters live in the address bar too, so a reload or a shared link shows the same list.
  useEffect(() => {
    const search = new URLSearchParams();
    if (params.agentId) search.set("agent", params.agentId);
    if (params.status) search.set("status", params.status);
    if (params.includeArchived) search.set("archived", "1");
    const text = search.toString();
    window.history.replaceState(null, "", text ? `/sessions?${text}` : "/sessions");
  }, [params.agentId, params.status, params.includeArchived]);

  function filter(patch: Partial<SessionListParams>) {
    setParams((current) => ({ ...current, ...patch, page: null }));
    setPageNumber(1);
  }

  const rows = query.data?.data ?? [];
  const filtered = params.agentId !== "" || params.status !== "" || params.includeArchived;

  return (
    <div>
      <div className="mb-3 flex flex-wrap items-end gap-2.5" role="search" aria-label="Filter sessions">
        <div className="flex items-center gap-2">
          <label htmlFor={agentId} className="text-[13px] text-fg-muted">
            Agent
          </label>
          <Select id={agentId} value={params.agentId} onChange={(event) => filter({ agentId: event.target.value })} className="w-auto max-w-64">
            <option value="">All agents</option>
            {agents.map((agent) => (
              <option key={agent.id} value={agent.id}>
                {agent.name}
              </option>
            ))}
          </Select>
        </div>
        <div className="flex items-center gap-2">
          <label htmlFor={statusId} className="text-[13px] text-fg-muted">
            Status
          </label>
          <Select id={statusId} value={params.status} onChange={(event) => filter({ status: event.target.value })} className="w-auto">
            <option value="">Any status</option>
            {SESSION_STATUSES.map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </Select>
        </div>
        <label
          htmlFor={archivedId}
          className="flex h-8.5 cursor-pointer items-center gap-2 rounded-md border border-border bg-surface px-2.5 text-[13px] text-fg-muted shadow-xs hover:border-border-strong"
        >
          <input
            id={archivedId}
            type="checkbox"
            className="size-3.5 accent-(--accent)"
            checked={params.includeArchived}
            onChange={(event) => filter({ includeArchived: event.target.checked })}
          />
          Show archived
        </label>
        <span className="ml-auto flex h-8.5 items-center text-xs text-fg-subtle" aria-live="polite">
          {query.isFetching ? (
            <span className="inline-flex items-center gap-1.5">
              <Spinner /> Loading…
            </span>
          ) : null}
        </span>
      </div>

      {query.isError ? (
        <EmptyState title="The sessions could not be loaded">{query.error instanceof Error ? query.error.message : "Try again."}</EmptyState>
      ) : query.isPending ? (
        <div className="flex items-center justify-center gap-2 rounded-lg border border-border bg-surface py-10 text-sm text-fg-muted">
          <Spinner /> Loading sessions…
        </div>
      ) : rows.length === 0 && !query.isFetching ? (
        filtered ? (
          <EmptyState
            title="No sessions match these filters"
            actions={<Button onClick={() => filter({ agentId: "", status: "", includeArchived: false })}>Clear filters</Button>}
          >
            Archived sessions are hidden unless you tick “Show archived”.
          </EmptyState>
        ) : (
          <SetupEmptyState canWrite={canWrite} setup={setup} />
        )
      ) : (
        <>
          <ResourceTable
            label="Sessions"
            columns={[
              { title: "Title" },
              { title: "Agent" },
              { title: "Environment", className: "hidden md:table-cell" },
              { title: "LLM vault" },
              { title: "Readiness" },
              { title: "Created", className: "hidden xl:table-cell" },
            ]}
          >
            {rows.map((session) => (
              <ResourceRow
                key={session.id}
                href={`/sessions/${session.id}`}
                id={session.id}
                archived={session.archived_at !== null}
                title={session.title ?? <span className="text-fg-muted italic">Untitled session</span>}
                nameClassName="max-w-64"
                testId="session-row"
              >
                <TD className="max-w-48">
                  <span className="block truncate">{session.agent.name}</span>
                  <span className="block text-[11.5px] text-fg-subtle">version {session.agent.version}</span>
                </TD>
                <TD className="hidden max-w-48 md:table-cell">
                  <EnvironmentCell environmentId={session.environment_id} />
                </TD>
                <TD className="max-w-48">
                  <LlmVaultCell vaultIds={session.vault_ids} />
                </TD>
                <TD>
                  <ReadinessCell session={session} />
                </TD>
                <DateCell at={formatDateTime(session.created_at)} from="xl" />
              </ResourceRow>
            ))}
          </ResourceTable>
          <div className="mt-3 flex items-center justify-between gap-2 text-[13px] text-fg-muted">
            <span>
              Page {pageNumber} · {rows.length} session{rows.length === 1 ? "" : "s"}
            </span>
            <div className="flex gap-2">
              <Button
                size="sm"
                disabled={!query.data?.prev_page || pageNumber === 1}
                onClick={() => {
                  if (!query.data?.prev_page) return;
                  setParams({ ...params, page: query.data.prev_page });
                  setPageNumber(pageNumber - 1);
                }}
              >
                Previous
              </Button>
              <Button
                size="sm"
                disabled={!query.data?.next_page}
                onClick={() => {
                  if (!query.data?.next_page) return;
                  setParams({ ...params, page: query.data.next_page });
                  setPageNumber(pageNumber + 1);
                }}
              >
                Next
              </Button>
            </div>
          </div>
        </>
      )}
    </div>
  );
}
