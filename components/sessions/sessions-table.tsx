"use client";

import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button, buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Select } from "@/components/ui/input";
import { TD } from "@/components/ui/table";
import { useAddressState } from "@/components/console/use-address-state";
import { SessionsIcon } from "@/components/console/icons";
import {
  ArchivedFilter,
  FILTER_CONTROL_CLASS,
  FilterField,
  ListError,
  ListToolbar,
  Pager,
  SkeletonRows,
  useListPage,
  type InitialPage,
} from "@/components/console/list-view";
import { DateCell, ResourceRow, ResourceTable } from "@/components/console/resource-table";
import { pageNumber } from "@/lib/queries/list-state";
import { fetchSessions, sessionKeys, sessionListAddress, type SessionListParams, type SessionPage } from "@/lib/queries/sessions";
import type { SessionRow } from "@/lib/serializers/console-rows";
import { SESSION_STATUSES } from "@/lib/validation/limits";
import { cn } from "@/lib/cn";

export interface AgentOption {
  id: string;
  name: string;
}

export interface SessionsTableProps {
  /** The page the server rendered for this address. */
  initial: InitialPage<SessionPage>;
  agents: AgentOption[];
  canWrite: boolean;
  /** What exists yet, so the empty state links to what is missing first. */
  setup: { agents: number; environments: number; llmVaults: number };
}

const COLUMNS = 7;

const STATUS_TONES = { running: "info", idle: "success", rescheduling: "warning", terminated: "neutral" } as const;

function StatusBadge({ status }: { status: string }) {
  const tone = STATUS_TONES[status as keyof typeof STATUS_TONES] ?? "neutral";
  return <Badge tone={tone}>{status}</Badge>;
}

/** Ready, or each cause in words (the session page has the checks and their fixes). */
function Readiness({ row }: { row: SessionRow }) {
  const { ready, issues } = row.console.readiness;
  if (ready) {
    return (
      <Badge tone="success" dot>
        Ready
      </Badge>
    );
  }
  return (
    <span className="block max-w-64">
      <Badge tone="danger" dot>
        Not ready
      </Badge>
      {issues.map((issue) => (
        <span key={issue.code} className="mt-0.5 block truncate text-[11.5px] text-fg-muted">
          {issue.label}
        </span>
      ))}
    </span>
  );
}

function SessionRowView({ session }: { session: SessionRow }) {
  const { agent, environment, llm_vault: llmVault, other_vaults: others } = session.console;
  return (
    <ResourceRow
      href={`/sessions/${session.id}`}
      id={session.id}
      archived={session.archived_at !== null}
      title={session.title ?? <span className="text-fg-muted italic">Untitled session</span>}
      nameClassName="max-w-64"
      testId="session-row"
    >
      <TD label="Agent" className="max-w-48">
        <span className="block truncate">{agent.name}</span>
        <span className="block text-[11.5px] text-fg-subtle">version {agent.version}</span>
      </TD>
      <TD label="Environment" className="max-w-48 sm:max-md:hidden">
        <span className="block truncate">{environment?.name ?? "Unknown"}</span>
        <span className="block truncate font-mono text-[11.5px] text-fg-subtle">{session.environment_id}</span>
      </TD>
      <TD label="LLM vault" className="max-w-48">
        {llmVault ? (
          <span className="block truncate">
            {llmVault.display_name}
            {llmVault.archived ? <span className="ml-1 text-[11.5px] text-fg-subtle">(archived)</span> : null}
          </span>
        ) : (
          <span className="block text-xs text-fg-subtle">None</span>
        )}
        {others > 0 ? (
          <span className="block text-[11.5px] text-fg-subtle">
            +{others} other vault{others === 1 ? "" : "s"}
          </span>
        ) : null}
      </TD>
      <TD label="Status">
        <StatusBadge status={session.status} />
      </TD>
      <TD label="Readiness">
        <Readiness row={session} />
      </TD>
      <DateCell at={session.created_at} from="xl" />
    </ResourceRow>
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

export function SessionsTable({ initial, agents, canWrite, setup }: SessionsTableProps) {
  const [state, setState] = useAddressState(sessionListAddress);
  const params: SessionListParams = { agentId: state.agent, status: state.status ?? "", includeArchived: state.archived, page: state.page };
  const number = pageNumber(state.n, state.page);
  const { query, stale } = useListPage(sessionKeys.list(params), (signal) => fetchSessions(params, signal), initial);
  const [shownPage, setShownPage] = useState(params.page);
  if (!stale && query.data && shownPage !== params.page) setShownPage(params.page);
  const paging = stale && shownPage !== params.page;

  function filter(patch: Partial<{ agent: string | null; status: (typeof SESSION_STATUSES)[number] | null; archived: boolean | null }>) {
    setState({ ...patch, page: null, n: null });
  }

  const rows = query.data?.data ?? [];
  const filtered = state.agent !== "" || state.status !== null || state.archived;

  return (
    <div>
      <ListToolbar label="Filter sessions" loading={query.isFetching}>
        <FilterField label="Agent">
          {(id) => (
            <Select
              id={id}
              value={state.agent}
              onChange={(event) => filter({ agent: event.target.value || null })}
              className={cn(FILTER_CONTROL_CLASS, "sm:max-w-64")}
            >
              <option value="">All agents</option>
              {agents.map((agent) => (
                <option key={agent.id} value={agent.id}>
                  {agent.name}
                </option>
              ))}
            </Select>
          )}
        </FilterField>
        <FilterField label="Status">
          {(id) => (
            <Select
              id={id}
              value={state.status ?? ""}
              onChange={(event) => filter({ status: SESSION_STATUSES.find((status) => status === event.target.value) ?? null })}
              className="w-auto"
            >
              <option value="">Any status</option>
              {SESSION_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {status}
                </option>
              ))}
            </Select>
          )}
        </FilterField>
        <ArchivedFilter checked={state.archived} onChange={(checked) => filter({ archived: checked || null })} />
      </ListToolbar>

      {query.isError && !query.data ? (
        <ListError noun="sessions" error={query.error} />
      ) : rows.length === 0 && !query.isFetching && !query.isPending ? (
        filtered ? (
          <EmptyState
            title="No sessions match these filters"
            actions={<Button onClick={() => filter({ agent: null, status: null, archived: null })}>Clear filters</Button>}
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
            busy={stale && !paging}
            columns={[
              { title: "Title" },
              { title: "Agent" },
              { title: "Environment", from: "md" },
              { title: "LLM vault" },
              { title: "Status" },
              { title: "Readiness" },
              { title: "Created", from: "xl" },
            ]}
          >
            {paging || query.isPending ? <SkeletonRows columns={COLUMNS + 1} /> : rows.map((session) => <SessionRowView key={session.id} session={session} />)}
          </ResourceTable>
          <Pager
            number={number}
            count={rows.length}
            noun={["session", "sessions"]}
            loading={paging ? number : null}
            hasNext={Boolean(query.data?.next_page) && !stale}
            onNext={() => {
              const next = query.data?.next_page;
              if (next) setState({ page: next, n: number + 1 });
            }}
            previous={
              query.data?.prev_page && state.page !== null && !stale
                ? () => {
                    const previous = number <= 2 ? null : (query.data?.prev_page ?? null);
                    setState({ page: previous, n: previous === null ? null : number - 1 });
                  }
                : null
            }
            first={state.page !== null ? () => setState({ page: null, n: null }) : null}
          />
        </>
      )}
    </div>
  );
}
