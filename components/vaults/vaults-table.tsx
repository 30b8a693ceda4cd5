"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useId, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { buttonClasses, Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input, Select } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { TD, TR } from "@/components/ui/table";
import { PlusIcon, SearchIcon, VaultIcon } from "@/components/console/icons";
import { DateCell, OpenCell, ResourceTable } from "@/components/console/resource-table";
import { VaultKindBadge } from "@/components/vaults/vault-kind-badge";
import type { Page } from "@/lib/queries/v1";
import { fetchHasActiveCredential, fetchVaults, vaultKeys, VAULTS_PAGE_SIZE, type VaultListParams } from "@/lib/queries/vaults";
import { formatDateTime } from "@/lib/format";
import { llmBaseUrlOf } from "@/lib/validation/reserved-metadata";
import { VAULT_KINDS, type VaultKind, vaultKindOf } from "@/lib/vault-kind";
import type { VaultObject } from "@/lib/serializers/vaults";

export interface VaultsTableProps {
  initialParams: VaultListParams;
  initialPage: Page<VaultObject>;
  /** Active credential presence for the server-rendered rows, so the first paint needs no fetch. */
  initialActive: Record<string, boolean>;
  canWrite: boolean;
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

function sameParams(a: VaultListParams, b: VaultListParams): boolean {
  return a.q.trim() === b.q.trim() && a.kind === b.kind && a.includeArchived === b.includeArchived && a.page === b.page && a.limit === b.limit;
}

function ActiveCredentialCell({ vaultId, initial, archived }: { vaultId: string; initial: boolean | undefined; archived: boolean }) {
  // Rows the server rendered already know the answer, fresh from this navigation.
  const query = useQuery({
    queryKey: vaultKeys.activeCredentials(vaultId),
    queryFn: ({ signal }) => fetchHasActiveCredential(vaultId, signal),
    enabled: !archived && initial === undefined,
    staleTime: 0,
  });
  const data = initial ?? query.data;
  const isPending = initial === undefined && query.isPending;
  const isError = initial === undefined && query.isError;
  if (archived) return <span className="text-xs text-fg-subtle">—</span>;
  if (isError) return <span className="text-xs text-fg-subtle">Unknown</span>;
  if (isPending) return <Spinner className="text-fg-subtle" />;
  return data ? (
    <Badge tone="success" dot>
      Active credential
    </Badge>
  ) : (
    <Badge tone="warning" dot>
      No credential
    </Badge>
  );
}

export function VaultsTable({ initialParams, initialPage, initialActive, canWrite }: VaultsTableProps) {
  const searchId = useId();
  const kindId = useId();
  const archivedId = useId();
  const [search, setSearch] = useState(initialParams.q);
  const [kind, setKind] = useState<VaultKind | "">(initialParams.kind);
  const [includeArchived, setIncludeArchived] = useState(initialParams.includeArchived);
  // The cursors of the pages before this one, so "Previous" can walk back.
  const [cursors, setCursors] = useState<(string | null)[]>([]);
  const [page, setPage] = useState<string | null>(initialParams.page);
  const q = useDebounced(search, 250);

  const params: VaultListParams = { q, kind, includeArchived, page, limit: VAULTS_PAGE_SIZE };
  const isInitial = sameParams(params, initialParams);

  // The server renders the first page on every navigation, so that page is never read from a
  // cache that could predate a change; every other page and filter goes through /v1.
  const query = useQuery({
    queryKey: vaultKeys.list(params),
    queryFn: ({ signal }) => fetchVaults(params, signal),
    enabled: !isInitial,
    staleTime: 0,
    placeholderData: keepPreviousData,
  });
  // While the first fetch of a new filter runs, keep showing the rows already on screen (kept as
  // state derived while rendering, React's pattern for remembering a previous value).
  const [lastShown, setLastShown] = useState(initialPage);
  const current = isInitial ? initialPage : query.data;
  if (current && current !== lastShown) setLastShown(current);
  const data = current ?? lastShown;
  const isFetching = !isInitial && query.isFetching;
  const isError = !isInitial && query.isError;
  const error = query.error;

  // Filters live in the address bar too, so a reload or a shared link shows the same list.
  useEffect(() => {
    const search = new URLSearchParams();
    if (q.trim()) search.set("q", q.trim());
    if (kind) search.set("kind", kind);
    if (includeArchived) search.set("archived", "1");
    const query = search.toString();
    window.history.replaceState(null, "", query ? `/vaults?${query}` : "/vaults");
  }, [q, kind, includeArchived]);

  function resetPaging() {
    setCursors([]);
    setPage(null);
  }

  const filtered = q.trim() !== "" || kind !== "" || includeArchived;
  const rows = data?.data ?? [];

  return (
    <div>
      <div className="mb-3 flex flex-wrap items-end gap-2.5" role="search" aria-label="Filter vaults">
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
              resetPaging();
            }}
            className="pl-8"
          />
        </div>
        <div className="flex items-center gap-2">
          <label htmlFor={kindId} className="text-[13px] text-fg-muted">
            Kind
          </label>
          <Select
            id={kindId}
            value={kind}
            onChange={(event) => {
              const value = event.target.value;
              setKind(VAULT_KINDS.find((candidate) => candidate === value) ?? "");
              resetPaging();
            }}
            className="w-auto"
          >
            <option value="">All kinds</option>
            <option value="llm">LLM</option>
            <option value="credential">HTTP header credential</option>
            <option value="other">MCP / other</option>
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
            checked={includeArchived}
            onChange={(event) => {
              setIncludeArchived(event.target.checked);
              resetPaging();
            }}
          />
          Show archived
        </label>
        <span className="ml-auto flex h-8.5 items-center text-xs text-fg-subtle" aria-live="polite">
          {isFetching ? (
            <span className="inline-flex items-center gap-1.5">
              <Spinner /> Loading…
            </span>
          ) : null}
        </span>
      </div>

      {isError ? (
        <EmptyState title="The vaults could not be loaded">{error instanceof Error ? error.message : "Try again."}</EmptyState>
      ) : rows.length === 0 && !isFetching ? (
        filtered ? (
          <EmptyState
            title="No vaults match these filters"
            actions={
              <Button
                onClick={() => {
                  setSearch("");
                  setKind("");
                  setIncludeArchived(false);
                  resetPaging();
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
            columns={[
              { title: "Name" },
              { title: "Kind" },
              { title: "Model endpoint", className: "hidden md:table-cell" },
              { title: "Credential" },
              { title: "Created", className: "hidden lg:table-cell" },
            ]}
          >
            {rows.map((vault) => {
              const vaultKind = vaultKindOf(vault.metadata);
              const archived = vault.archived_at !== null;
              const baseUrl = llmBaseUrlOf(vault.metadata);
              return (
                <TR key={vault.id} className="group relative">
                  <TD className="max-w-72">
                    <Link href={`/vaults/${vault.id}`} className="block truncate font-medium text-fg after:absolute after:inset-0 hover:underline">
                      {vault.display_name}
                    </Link>
                    <span className="block truncate font-mono text-[11.5px] text-fg-subtle">{vault.id}</span>
                  </TD>
                  <TD>
                    <span className="flex items-center gap-1.5">
                      <VaultKindBadge kind={vaultKind} />
                      {archived ? <Badge>Archived</Badge> : null}
                    </span>
                  </TD>
                  <TD className="hidden max-w-64 md:table-cell">
                    {vaultKind === "llm" ? (
                      <span className="block truncate font-mono text-xs text-fg-muted" title={baseUrl.url}>
                        {baseUrl.url}
                        {baseUrl.isDefault ? <span className="ml-1 font-sans text-fg-subtle">(default)</span> : null}
                      </span>
                    ) : (
                      <span className="text-xs text-fg-subtle">—</span>
                    )}
                  </TD>
                  <TD>
                    {vaultKind === "llm" ? (
                      <ActiveCredentialCell vaultId={vault.id} initial={initialActive[vault.id]} archived={archived} />
                    ) : (
                      <span className="text-xs text-fg-subtle">—</span>
                    )}
                  </TD>
                  <DateCell at={formatDateTime(vault.created_at)} />
                  <OpenCell />
                </TR>
              );
            })}
          </ResourceTable>
          <div className="mt-3 flex items-center justify-between gap-2 text-[13px] text-fg-muted">
            <span>
              Page {cursors.length + 1} · {rows.length} vault{rows.length === 1 ? "" : "s"}
            </span>
            <div className="flex gap-2">
              <Button
                size="sm"
                disabled={cursors.length === 0}
                onClick={() => {
                  setPage(cursors[cursors.length - 1] ?? null);
                  setCursors(cursors.slice(0, -1));
                }}
              >
                Previous
              </Button>
              <Button
                size="sm"
                disabled={!data?.next_page}
                onClick={() => {
                  if (!data?.next_page) return;
                  setCursors([...cursors, page]);
                  setPage(data.next_page);
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
