import { countParam, flagParam, textParam, tokenParam } from "@/lib/queries/address-state";

/** The parts of a list's address every list shares: the page cursor, the page's number for the pager, and "show archived". */
export const listPagingAddress = {
  /** The API's opaque cursor of the page shown; absent on the first page. */
  page: tokenParam,
  /** Which page that is, for the pager's words only (a cursor does not say). */
  n: countParam(1),
  archived: flagParam,
};

/** Clamps a page number read from the address. */
export function pageNumber(value: number, cursor: string | null): number {
  return cursor === null ? 1 : Math.max(2, Math.min(value, 100_000));
}

/** A list searched by name and nothing else (agents, environments): `?q=…&archived=1&page=<cursor>&n=2`. */
export const namedListAddress = {
  q: textParam,
  ...listPagingAddress,
};

export interface NamedListParams {
  q: string;
  includeArchived: boolean;
  page: string | null;
  limit: number;
}

/** The /v1 list address for a named list's state. */
export function namedListPath(resource: string, params: NamedListParams): string {
  const search = new URLSearchParams({ limit: String(params.limit) });
  if (params.q.trim()) search.set("q", params.q.trim());
  if (params.includeArchived) search.set("include_archived", "true");
  if (params.page) search.set("page", params.page);
  return `/v1/${resource}?${search}`;
}
