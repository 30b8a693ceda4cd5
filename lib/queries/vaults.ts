import type { CredentialObject } from "@/lib/serializers/credentials";
import { v1Get, type Page } from "@/lib/queries/v1";
import type { VaultObject } from "@/lib/serializers/vaults";
import type { VaultKind } from "@/lib/vault-kind";

export const VAULTS_PAGE_SIZE = 20;

export interface VaultListParams {
  q: string;
  kind: VaultKind | "";
  includeArchived: boolean;
  page: string | null;
  limit: number;
}

/** Query keys for vaults: one factory, so a mutation can invalidate every list at once. */
export const vaultKeys = {
  all: ["vaults"] as const,
  lists: () => [...vaultKeys.all, "list"] as const,
  list: (params: VaultListParams) => [...vaultKeys.lists(), params] as const,
  activeCredentials: (vaultId: string) => [...vaultKeys.all, "active-credentials", vaultId] as const,
};

export function vaultListPath(params: VaultListParams): string {
  const search = new URLSearchParams({ limit: String(params.limit) });
  if (params.q.trim()) search.set("q", params.q.trim());
  if (params.kind) search.set("kind", params.kind);
  if (params.includeArchived) search.set("include_archived", "true");
  if (params.page) search.set("page", params.page);
  return `/v1/vaults?${search}`;
}

export function fetchVaults(params: VaultListParams, signal?: AbortSignal): Promise<Page<VaultObject>> {
  return v1Get<Page<VaultObject>>(vaultListPath(params), signal);
}

/** Whether a vault holds an active credential: one row of its active credentials is enough. */
export async function fetchHasActiveCredential(vaultId: string, signal?: AbortSignal): Promise<boolean> {
  const page = await v1Get<Page<CredentialObject>>(`/v1/vaults/${encodeURIComponent(vaultId)}/credentials?limit=1`, signal);
  return page.data.length > 0;
}
