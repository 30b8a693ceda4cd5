"use client";

import type { QueryKey } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import type { Column } from "@/components/ui/table";
import {
  ArchivedFilter,
  ListError,
  ListSearch,
  ListToolbar,
  Pager,
  SkeletonRows,
  useKeysetPaging,
  useListSearch,
  type InitialPage,
} from "@/components/console/list-view";
import { ResourceTable } from "@/components/console/resource-table";
import { useAddressState } from "@/components/console/use-address-state";
import { namedListAddress, type NamedListParams } from "@/lib/queries/list-state";
import type { Page } from "@/lib/queries/v1";

export interface NamedListProps<Row> {
  /** The table's name ("Agents"); the search box is "Search agents by name". */
  label: string;
  noun: [string, string];
  pageSize: number;
  initial: InitialPage<Page<Row>>;
  queryKey: (params: NamedListParams) => QueryKey;
  fetcher: (params: NamedListParams, signal: AbortSignal) => Promise<Page<Row>>;
  /** The columns after the name (the name column comes first, the "open" column last). */
  columns: Column[];
  row: (row: Row) => ReactNode;
  /** Shown when there is nothing at all to list (no search, archived hidden). */
  empty: ReactNode;
}

/**
 * A list searched by name, with "show archived" and keyset pages, all in the address
 * (`?q=…&archived=1&page=<cursor>&n=2`): the agents and environments lists. The page the server
 * rendered for the address is the first paint; every change after it is one /v1 request.
 */
export function NamedList<Row>({ label, noun, pageSize, initial, queryKey, fetcher, columns, row, empty }: NamedListProps<Row>) {
  const [state, setState] = useAddressState(namedListAddress);
  const params: NamedListParams = { q: state.q, includeArchived: state.archived, page: state.page, limit: pageSize };
  const { query, stale, paging, rows, pager, restart } = useKeysetPaging({
    page: state.page,
    n: state.n,
    go: (page, n) => setState({ page, n }),
    queryKey: queryKey(params),
    fetcher: (signal) => fetcher(params, signal),
    initial,
  });
  const [search, setSearch] = useListSearch(state.q, (q) => setState({ q, page: null, n: null }, "replace"));
  const filtered = state.q !== "" || state.archived;

  return (
    <div>
      <ListToolbar label={`Filter ${noun[1]}`} loading={query.isFetching}>
        <ListSearch
          label={`Search ${noun[1]} by name`}
          value={search}
          onChange={(value) => {
            setSearch(value);
            restart();
          }}
        />
        <ArchivedFilter
          checked={state.archived}
          onChange={(checked) => {
            restart();
            setState({ archived: checked || null, page: null, n: null });
          }}
        />
      </ListToolbar>

      {query.isError && !query.data ? (
        <ListError noun={noun[1]} error={query.error} />
      ) : rows.length === 0 && !query.isFetching && !query.isPending ? (
        filtered ? (
          <EmptyState
            title={`No ${noun[1]} match these filters`}
            actions={
              <Button
                onClick={() => {
                  setSearch("");
                  restart();
                  setState({ q: null, archived: null, page: null, n: null });
                }}
              >
                Clear filters
              </Button>
            }
          >
            Archived {noun[1]} are hidden unless you tick “Show archived”.
          </EmptyState>
        ) : (
          empty
        )
      ) : (
        <>
          <ResourceTable label={label} busy={stale && !paging} columns={[{ title: "Name" }, ...columns]}>
            {paging || query.isPending ? <SkeletonRows columns={columns.length + 2} /> : rows.map(row)}
          </ResourceTable>
          <Pager {...pager} noun={noun} />
        </>
      )}
    </div>
  );
}
