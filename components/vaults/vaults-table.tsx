"use client";

import Link from "next/link";
import { useQueryStates } from "nuqs";
import { useEffect, useId, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { buttonClasses, Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input, Select } from "@/components/ui/input";
import { TD } from "@/components/ui/table";
import { PlusIcon, SearchIcon, VaultIcon } from "@/components/console/icons";
import { ArchivedFilter, FilterField, ListError, ListToolbar, Pager, SkeletonRows, useListPage, type InitialPage } from "@/components/console/list-view";
import { DateCell, ResourceRow, ResourceTable } from "@/components/console/resource-table";
import { VaultKindBadge } from "@/components/vaults/vault-kind-badge";
import { pageNumber } from "@/lib/queries/list-state";
import type { Page } from "@/lib/queries/v1";
import { fetchVaults, vaultKeys, vaultListParsers, VAULTS_PAGE_SIZE, type VaultListParams } from "@/lib/queries/vaults";
import type { VaultRow } from "@/lib/serializers/console-rows";
import { VAULT_KINDS } from "@/lib/vault-kind";

export interface VaultsTableProps {
  /** The page the server rendered for this address. */
  initial: InitialPage<Page<VaultRow>>;
  canWrite: boolean;
}

const SEARCH_DEBOUNCE_MS = 250;
const COLUMNS = 5;

function TokenState({ row }: { row: VaultRow }) {
  if (row.console.token === null) return <span className="text-xs text-fg-subtle">—</span>;
  return row.console.token === "present" ? (
    <Badge tone="success" dot>
      Token stored
    </Badge>
  ) : (
    <Badge tone="warning" dot>
      No token
    </Badge>
  );
}

function VaultRowView({ vault }: { vault: VaultRow }) {
  const { kind, endpoint, sessions } = vault.console;
  return (
    <ResourceRow href={`/vaults/${vault.id}`} id={vault.id} archived={vault.archived_at !== null} title={vault.display_name} testId="vault-row">
      <TD label="Kind">
        <VaultKindBadge kind={kind} />
      </TD>
      <TD label="Model endpoint" className="max-w-64 sm:max-md:hidden">
        {endpoint ? (
          <span className="block truncate font-mono text-xs text-fg-muted" title={endpoint.url}>
            {endpoint.url}
            {endpoint.is_default ? <span className="ml-1 font-sans text-fg-subtle">(default)</span> : null}
          </span>
        ) : (
          <span className="text-xs text-fg-subtle">—</span>
        )}
      </TD>
      <TD label="Token">
        <TokenState row={vault} />
      </TD>
      <TD label="Sessions" className="text-xs text-fg-muted sm:max-lg:hidden">
        {sessions === 0 ? "None" : `${sessions} session${sessions === 1 ? "" : "s"}`}
      </TD>
      <DateCell at={vault.created_at} from="xl" />
    </ResourceRow>
  );
}

export function VaultsTable({ initial, canWrite }: VaultsTableProps) {
  const searchId = useId();
  const [state, setState] = useQueryStates(vaultListParsers, { history: "push" });
  const params: VaultListParams = { q: state.q, kind: state.kind ?? "", includeArchived: state.archived, page: state.page, limit: VAULTS_PAGE_SIZE };
  const number = pageNumber(state.n, state.page);

  // The search box types freely; the address (and the query) follow it after a pause, replacing
  // the history entry rather than adding one per keystroke. Back/Forward put the box back in step.
  const [search, setSearch] = useState(state.q);
  const [addressQ, setAddressQ] = useState(state.q);
  if (addressQ !== state.q) {
    setAddressQ(state.q);
    setSearch(state.q);
  }
  useEffect(() => {
    if (search.trim() === state.q) return;
    const timer = setTimeout(() => void setState({ q: search.trim() || null, page: null, n: null }, { history: "replace" }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [search, state.q, setState]);

  // The cursors of the pages before this one in this visit, so "Previous" walks back (a reloaded
  // later page has none: it offers the first page instead).
  const [visited, setCursors] = useState<(string | null)[]>([]);
  // On the first page (Back to it, or a fresh link) there is nothing before it.
  const cursors = state.page === null ? [] : visited;
  const { query, stale } = useListPage(vaultKeys.list(params), (signal) => fetchVaults(params, signal), initial);
  const [shownPage, setShownPage] = useState(params.page);
  if (!stale && query.data && shownPage !== params.page) setShownPage(params.page);
  const paging = stale && shownPage !== params.page;

  function filter(patch: Partial<{ kind: (typeof VAULT_KINDS)[number] | null; archived: boolean | null }>) {
    setCursors([]);
    void setState({ ...patch, page: null, n: null });
  }

  const filtered = state.q !== "" || state.kind !== null || state.archived;
  const rows = query.data?.data ?? [];

  return (
    <div>
      <ListToolbar label="Filter vaults" loading={query.isFetching}>
        <div className="relative min-w-52 flex-1">
          <label htmlFor={searchId} className="sr-only">
            Search vaults by name
          </label>
          <SearchIcon className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-fg-subtle" />
          <Input
            id={searchId}
            type="search"
            placeholder="Search by name…"
            value={search}
            onChange={(event) => {
              setSearch(event.target.value);
              setCursors([]);
            }}
            className="pl-8"
          />
        </div>
        <FilterField label="Kind">
          {(id) => (
            <Select
              id={id}
              value={state.kind ?? ""}
              onChange={(event) => filter({ kind: VAULT_KINDS.find((candidate) => candidate === event.target.value) ?? null })}
              className="w-auto"
            >
              <option value="">All kinds</option>
              <option value="llm">LLM</option>
              <option value="credential">HTTP header credential</option>
              <option value="other">MCP / other</option>
            </Select>
          )}
        </FilterField>
        <ArchivedFilter checked={state.archived} onChange={(checked) => filter({ archived: checked || null })} />
      </ListToolbar>

      {query.isError && !query.data ? (
        <ListError noun="vaults" error={query.error} />
      ) : rows.length === 0 && !query.isFetching && !query.isPending ? (
        filtered ? (
          <EmptyState
            title="No vaults match these filters"
            actions={
              <Button
                onClick={() => {
                  setSearch("");
                  setCursors([]);
                  void setState({ q: null, kind: null, archived: null, page: null, n: null });
                }}
              >
                Clear filters
              </Button>
            }
          >
            Archived vaults are hidden unless you tick “Show archived”.
          </EmptyState>
        ) : (
          <EmptyState
            icon={<VaultIcon className="size-5" />}
            title="No vaults yet"
            actions={
              canWrite ? (
                <>
                  <Link href="/vaults/new?kind=llm" className={buttonClasses("primary")}>
                    <PlusIcon className="size-4" /> Create an LLM vault
                  </Link>
                  <Link href="/vaults/new" className={buttonClasses("secondary")}>
                    Other kinds of vault
                  </Link>
                </>
              ) : null
            }
          >
            <p>
              A vault keeps credentials encrypted. An <strong className="font-medium text-fg">LLM vault</strong> holds the one model token (for example an
              Anthropic API key) that a session&apos;s agent uses to call the model. The token goes in once and never comes back out: sessions reach it only
              through the credential boundary.
            </p>
            {canWrite ? null : <p className="mt-2">Your role is read-only; an owner or admin can create one.</p>}
          </EmptyState>
        )
      ) : (
        <>
          <ResourceTable
            label="Vaults"
            busy={stale && !paging}
            columns={[
              { title: "Name" },
              { title: "Kind" },
              { title: "Model endpoint", from: "md" },
              { title: "Token" },
              { title: "Sessions", from: "lg" },
              { title: "Created", from: "xl" },
            ]}
          >
            {paging || query.isPending ? <SkeletonRows columns={COLUMNS + 2} /> : rows.map((vault) => <VaultRowView key={vault.id} vault={vault} />)}
          </ResourceTable>
          <Pager
            number={number}
            count={rows.length}
            noun={["vault", "vaults"]}
            loading={paging ? number : null}
            hasNext={Boolean(query.data?.next_page) && !stale}
            onNext={() => {
              const next = query.data?.next_page;
              if (!next) return;
              setCursors([...cursors, state.page]);
              void setState({ page: next, n: number + 1 });
            }}
            previous={
              cursors.length > 0
                ? () => {
                    const previous = cursors[cursors.length - 1] ?? null;
                    setCursors(cursors.slice(0, -1));
                    void setState({ page: previous, n: previous === null ? null : number - 1 });
                  }
                : null
            }
            first={state.page !== null ? () => void setState({ page: null, n: null }) : null}
          />
        </>
      )}
    </div>
  );
}
