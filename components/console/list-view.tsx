"use client";

import { keepPreviousData, useQuery, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useEffect, useEffectEvent, useId, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { SkeletonRows } from "@/components/ui/table";
import { SearchIcon } from "@/components/console/icons";
import { pageNumber } from "@/lib/queries/list-state";
import type { Page } from "@/lib/queries/v1";

/**
 * The client side of every paged list (vaults, sessions, agents, environments): the filter bar, the search box, the query that reads a
 * page, skeleton rows on a first load, a pager that says "Loading page 2…" (and dims the old rows)
 * instead of "Page 2" over them, and the error/empty states. The page's address holds the state
 * (use-address-state.ts), so reload, Back/Forward and shared links show the same list.
 */

/** A page of a list, as the server rendered it for this address (so the first paint needs no request). */
export interface InitialPage<Data> {
  /** The exact query key it answers. */
  key: QueryKey;
  data: Data;
  /** When the server read it (ms since the epoch), so an older cached copy gives way to it. */
  at: number;
}

/** Reads a list page: seeded from the server's copy for its address, then through /v1 on every change. */
export function useListPage<Data>(key: QueryKey, fetcher: (signal: AbortSignal) => Promise<Data>, initial: InitialPage<Data>) {
  const queryClient = useQueryClient();
  // The server rendered this page for this very navigation: it goes into the cache as fresh (as of
  // now, not of the render, however long the page took to hydrate), unless the cache already holds
  // a copy read after it.
  useState(() => {
    const cached = queryClient.getQueryState(initial.key);
    if (!cached || cached.dataUpdatedAt < initial.at) queryClient.setQueryData(initial.key, initial.data);
    return null;
  });
  const query = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => fetcher(signal),
    staleTime: 10_000,
    placeholderData: keepPreviousData,
  });
  /** Old rows are on screen while another page or filter loads. */
  const stale = query.isPlaceholderData;
  return { query, stale };
}

const SEARCH_DEBOUNCE_MS = 250;

/**
 * A list's search box and the address's `q`: the box types freely; the address (and the query)
 * follow it after a pause through `commit`, which should replace the history entry rather than add
 * one per keystroke. Back/Forward put the box back in step.
 */
export function useListSearch(q: string, commit: (q: string | null) => void) {
  const [search, setSearch] = useState(q);
  const [addressQ, setAddressQ] = useState(q);
  if (addressQ !== q) {
    setAddressQ(q);
    setSearch(q);
  }
  const onPause = useEffectEvent(() => commit(search.trim() || null));
  useEffect(() => {
    if (search.trim() === q) return;
    const timer = setTimeout(() => onPause(), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [search, q]);
  return [search, setSearch] as const;
}

/**
 * Keyset paging kept in the address (`page` cursor, `n` its number): Next pushes the next cursor,
 * Previous walks back through the cursors seen in this visit (a reloaded later page has none, so it
 * offers the first page instead). `go` writes the address; `restart` forgets the cursors when a
 * filter changes. Returns the query, the rows and the Pager's props but its noun.
 */
export function useKeysetPaging<Row>({
  page,
  n,
  go,
  queryKey,
  fetcher,
  initial,
}: {
  page: string | null;
  n: number;
  go: (page: string | null, n: number | null) => void;
  queryKey: QueryKey;
  fetcher: (signal: AbortSignal) => Promise<Page<Row>>;
  initial: InitialPage<Page<Row>>;
}) {
  const number = pageNumber(n, page);
  const [visited, setCursors] = useState<(string | null)[]>([]);
  // On the first page (Back to it, or a fresh link) there is nothing before it.
  const cursors = page === null ? [] : visited;
  const { query, stale } = useListPage(queryKey, fetcher, initial);
  const [shownPage, setShownPage] = useState(page);
  if (!stale && query.data && shownPage !== page) setShownPage(page);
  /** Another page (not another filter) is loading: skeleton rows and "Loading page N…". */
  const paging = stale && shownPage !== page;
  const rows = query.data?.data ?? [];
  const next = query.data?.next_page ?? null;
  const pager = {
    number,
    count: rows.length,
    loading: paging ? number : null,
    hasNext: next !== null && !stale,
    onNext: () => {
      if (next === null) return;
      setCursors([...cursors, page]);
      go(next, number + 1);
    },
    previous:
      cursors.length > 0
        ? () => {
            const previous = cursors[cursors.length - 1] ?? null;
            setCursors(cursors.slice(0, -1));
            go(previous, previous === null ? null : number - 1);
          }
        : null,
    first: page !== null ? () => go(null, null) : null,
  };
  return { query, stale, paging, rows, pager, restart: () => setCursors([]) };
}

/** A list's search box, labelled for screen readers by `label`. */
export function ListSearch({ label, value, onChange }: { label: string; value: string; onChange: (value: string) => void }) {
  const id = useId();
  return (
    <div className="relative min-w-52 flex-1">
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <SearchIcon className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-fg-subtle" />
      <Input id={id} type="search" placeholder="Search by name…" value={value} onChange={(event) => onChange(event.target.value)} className="pl-8" />
    </div>
  );
}

/** The bar above a list: its filters, and what is loading. */
export function ListToolbar({ label, loading, children }: { label: string; loading: boolean; children: ReactNode }) {
  return (
    <div className="mb-3 flex flex-wrap items-end gap-2.5" role="search" aria-label={label}>
      {children}
      {/* Only as tall as the controls from 640 px up: on a phone, where it wraps to a line of its own, it takes no room until it has something to say. */}
      <span className="ml-auto flex items-center text-xs text-fg-subtle sm:h-8.5" aria-live="polite">
        {loading ? (
          <span className="inline-flex items-center gap-1.5">
            <Spinner /> Loading…
          </span>
        ) : null}
      </span>
    </div>
  );
}

/** A filter bar control's width: its content's from 640 px up, the rest of its line on a phone (FilterField). */
export const FILTER_CONTROL_CLASS = "w-auto max-sm:min-w-0 max-sm:flex-1";

/** "Show archived", a checkbox in the filter bar. */
export function ArchivedFilter({ checked, onChange }: { checked: boolean; onChange: (checked: boolean) => void }) {
  const id = useId();
  return (
    <label
      htmlFor={id}
      className="flex h-8.5 cursor-pointer items-center gap-2 rounded-md border border-border bg-surface px-2.5 text-[13px] text-fg-muted shadow-xs hover:border-border-strong"
    >
      <input id={id} type="checkbox" className="size-3.5 accent-(--accent)" checked={checked} onChange={(event) => onChange(event.target.checked)} />
      Show archived
    </label>
  );
}

/**
 * A labelled filter control (select, input) in the filter bar. Below 640 px it takes a line of its
 * own, its control the rest of that line (give the control FILTER_CONTROL_CLASS), as the search box does.
 */
export function FilterField({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="flex items-center gap-2 max-sm:w-full">
      <label htmlFor={id} className="text-[13px] text-fg-muted">
        {label}
      </label>
      {children(id)}
    </div>
  );
}

/**
 * Previous / Next under a list. While the next page loads it says so (and the buttons wait);
 * `previous` is null when there is no way back but the first page (`first`).
 */
export function Pager({
  number,
  count,
  noun,
  loading,
  hasNext,
  onNext,
  previous,
  first,
}: {
  number: number;
  count: number;
  noun: [string, string];
  /** The page number being loaded, or null when the page shown is the answer. */
  loading: number | null;
  hasNext: boolean;
  onNext: () => void;
  previous: (() => void) | null;
  first: (() => void) | null;
}) {
  return (
    <nav aria-label="Pages" className="mt-3 flex items-center justify-between gap-2 text-[13px] text-fg-muted">
      <span aria-live="polite" data-testid="pager-status">
        {loading !== null ? (
          <span className="inline-flex items-center gap-1.5">
            <Spinner /> Loading page {loading}…
          </span>
        ) : (
          <>
            Page {number} · {count} {count === 1 ? noun[0] : noun[1]}
          </>
        )}
      </span>
      <div className="flex gap-2">
        {previous === null && first ? (
          <Button size="sm" disabled={loading !== null} onClick={first}>
            First page
          </Button>
        ) : (
          <Button size="sm" disabled={previous === null || loading !== null} onClick={previous ?? undefined}>
            Previous
          </Button>
        )}
        <Button size="sm" disabled={!hasNext || loading !== null} onClick={onNext}>
          Next
        </Button>
      </div>
    </nav>
  );
}

/** What replaces the table when it cannot show rows: the error, or the list's own empty state. */
export function ListError({ noun, error }: { noun: string; error: unknown }) {
  return <EmptyState title={`The ${noun} could not be loaded`}>{error instanceof Error ? error.message : "Try again."}</EmptyState>;
}

export { SkeletonRows };
