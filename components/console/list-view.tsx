"use client";

import { keepPreviousData, useQuery, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useId, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Spinner } from "@/components/ui/spinner";
import { SkeletonRows } from "@/components/ui/table";

/**
 * The client side of every paged list (vaults, sessions): the filter bar, the query that reads a
 * page, skeleton rows on a first load, a pager that says "Loading page 2…" (and dims the old rows)
 * instead of "Page 2" over them, and the error/empty states. The page's address holds the state
 * (nuqs), so reload, Back/Forward and shared links show the same list.
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

/** The bar above a list: its filters, and what is loading. */
export function ListToolbar({ label, loading, children }: { label: string; loading: boolean; children: ReactNode }) {
  return (
    <div className="mb-3 flex flex-wrap items-end gap-2.5" role="search" aria-label={label}>
      {children}
      <span className="ml-auto flex h-8.5 items-center text-xs text-fg-subtle" aria-live="polite">
        {loading ? (
          <span className="inline-flex items-center gap-1.5">
            <Spinner /> Loading…
          </span>
        ) : null}
      </span>
    </div>
  );
}

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

/** A labelled filter control (select, input) in the filter bar. */
export function FilterField({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="flex items-center gap-2">
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
