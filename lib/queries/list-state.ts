import { createParser, parseAsInteger, parseAsString } from "nuqs/server";

/**
 * The parts of a list's address every list shares (nuqs parsers, read the same on the server page
 * and in the browser): the page cursor, the page's number for the pager, and "show archived".
 * Defaults are left out of the address, so a plain list has a plain URL.
 */

/** `archived=1`, the spelling the console's links already use. */
export const parseAsFlag = createParser<boolean>({
  parse: (value) => (value === "1" ? true : null),
  serialize: () => "1",
});

export const listPagingParsers = {
  /** The API's opaque cursor of the page shown; absent on the first page. */
  page: parseAsString,
  /** Which page that is, for the pager's words only (a cursor does not say). */
  n: parseAsInteger.withDefault(1),
  archived: parseAsFlag.withDefault(false),
};

/** Clamps a page number read from the address. */
export function pageNumber(value: number, cursor: string | null): number {
  return cursor === null ? 1 : Math.max(2, Math.min(value, 100_000));
}

/** A list searched by name and nothing else (agents, environments): `?q=…&archived=1&page=<cursor>&n=2`. */
export const namedListParsers = {
  q: parseAsString.withDefault(""),
  ...listPagingParsers,
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
