"use client";

import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { buttonClasses, Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Select } from "@/components/ui/input";
import { TD } from "@/components/ui/table";
import { useAddressState } from "@/components/console/use-address-state";
import { PlusIcon, VaultIcon } from "@/components/console/icons";
import {
  ArchivedFilter,
  FILTER_CONTROL_CLASS,
  FilterField,
  ListError,
  ListSearch,
  ListToolbar,
  Pager,
  SkeletonRows,
  useKeysetPaging,
  useListSearch,
  type InitialPage,
} from "@/components/console/list-view";
import { DateCell, ResourceRow, ResourceTable } from "@/components/console/resource-table";
import { VaultKindBadge } from "@/components/vaults/vault-kind-badge";
import type { Page } from "@/lib/queries/v1";
import { fetchVaults, vaultKeys, vaultListAddress, VAULTS_PAGE_SIZE, type VaultListParams } from "@/lib/queries/vaults";
import type { VaultRow } from "@/lib/serializers/console-rows";
import { cn } from "@/lib/cn";
import { VAULT_KINDS } from "@/lib/vault-kind";

export interface VaultsTableProps {
  /** The page the server rendered for this address. */
  initial: InitialPage<Page<VaultRow>>;
  canWrite: boolean;
}

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
      {/* Only LLM vaults have an endpoint: other kinds' phone cards leave the empty caption out. */}
      <TD label="Model endpoint" className={cn("max-w-64 sm:max-md:hidden", endpoint ? null : "max-sm:hidden")}>
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
  const [state, setState] = useAddressState(vaultListAddress);
  const params: VaultListParams = { q: state.q, kind: state.kind ?? "", includeArchived: state.archived, page: state.page, limit: VAULTS_PAGE_SIZE };
  const { query, stale, paging, rows, pager, restart } = useKeysetPaging({
    page: state.page,
    n: state.n,
    go: (page, n) => setState({ page, n }),
    queryKey: vaultKeys.list(params),
    fetcher: (signal) => fetchVaults(params, signal),
    initial,
  });
  const [search, setSearch] = useListSearch(state.q, (q) => setState({ q, page: null, n: null }, "replace"));

  function filter(patch: Partial<{ kind: (typeof VAULT_KINDS)[number] | null; archived: boolean | null }>) {
    restart();
    setState({ ...patch, page: null, n: null });
  }

  const filtered = state.q !== "" || state.kind !== null || state.archived;

  return (
    <div>
      <ListToolbar label="Filter vaults" loading={query.isFetching}>
        <ListSearch
          label="Search vaults by name"
          value={search}
          onChange={(value) => {
            setSearch(value);
            restart();
          }}
        />
        <FilterField label="Kind">
          {(id) => (
            <Select
              id={id}
              value={state.kind ?? ""}
              onChange={(event) => filter({ kind: VAULT_KINDS.find((candidate) => candidate === event.target.value) ?? null })}
              className={FILTER_CONTROL_CLASS}
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
                  restart();
                  setState({ q: null, kind: null, archived: null, page: null, n: null });
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
          <Pager {...pager} noun={["vault", "vaults"]} />
        </>
      )}
    </div>
  );
}
