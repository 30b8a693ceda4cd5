import { oneOfParam, textParam } from "@/lib/queries/address-state";
import { queryKeys } from "@/lib/queries/keys";
import { listPagingAddress } from "@/lib/queries/list-state";
import { v1Get, type Page } from "@/lib/queries/v1";
import type { VaultRow } from "@/lib/serializers/console-rows";
import { VAULT_KINDS, type VaultKind } from "@/lib/vault-kind";

export const VAULTS_PAGE_SIZE = 20;

/** The vault list's address: `?q=…&kind=llm&archived=1&page=<cursor>&n=2`. */
export const vaultListAddress = {
  q: textParam,
  kind: oneOfParam(VAULT_KINDS),
  ...listPagingAddress,
};

export interface VaultListParams {
  q: string;
  kind: VaultKind | "";
  includeArchived: boolean;
  page: string | null;
  limit: number;
}

/** Query keys for vaults (the console's one factory, lib/queries/keys.ts). */
export const vaultKeys = {
  ...queryKeys.vaults,
  list: (params: VaultListParams) => queryKeys.vaults.list(params),
};

/** GET /v1/vaults with the console's row extension: one request per page, every row's token state and usage included. */
export function vaultListPath(params: VaultListParams): string {
  const search = new URLSearchParams({ limit: String(params.limit), include: "console_row" });
  if (params.q.trim()) search.set("q", params.q.trim());
  if (params.kind) search.set("kind", params.kind);
  if (params.includeArchived) search.set("include_archived", "true");
  if (params.page) search.set("page", params.page);
  return `/v1/vaults?${search}`;
}

export function fetchVaults(params: VaultListParams, signal?: AbortSignal): Promise<Page<VaultRow>> {
  return v1Get<Page<VaultRow>>(vaultListPath(params), signal);
}
