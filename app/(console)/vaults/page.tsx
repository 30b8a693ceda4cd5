import type { Metadata } from "next";
import { VaultsTable } from "@/components/vaults/vaults-table";
import { userMay } from "@/lib/auth/policy";
import { requireUser } from "@/lib/auth/session";
import { VAULTS_PAGE_SIZE, type VaultListParams } from "@/lib/queries/vaults";
import { activeCredentialCounts, listVaults } from "@/lib/server/vaults";
import { serializeVault } from "@/lib/serializers/vaults";
import { VAULT_KINDS } from "@/lib/vault-kind";
import { ListPageHeader, searchParam, type SearchParams } from "../resource-pages";

export const metadata: Metadata = { title: "Vaults" };

/** The first page is rendered here, from the same service /v1/vaults uses; the rest is client-side. */
export default async function VaultsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  const query = await searchParams;
  const kindParam = searchParam(query.kind);
  const params: VaultListParams = {
    q: searchParam(query.q).slice(0, 255),
    kind: VAULT_KINDS.find((kind) => kind === kindParam) ?? "",
    includeArchived: searchParam(query.archived) === "1",
    page: null,
    limit: VAULTS_PAGE_SIZE,
  };
  const { items, nextPage } = await listVaults(
    { limit: params.limit, includeArchived: params.includeArchived },
    { nameContains: params.q.trim() || undefined, kind: params.kind || undefined },
  );
  const counts = await activeCredentialCounts(items.filter((vault) => vault.kind === "llm").map((vault) => vault.id));
  const initialActive = Object.fromEntries(items.filter((vault) => vault.kind === "llm").map((vault) => [vault.id, (counts.get(vault.id) ?? 0) > 0]));
  const writable = userMay(user, "write");

  return (
    <>
      <ListPageHeader
        page={{
          title: "Vaults",
          description: "Encrypted homes for model tokens and other credentials. Sessions attach exactly one LLM vault.",
          newLink: { href: "/vaults/new", label: "New vault" },
        }}
        writable={writable}
      />
      <VaultsTable
        initialParams={params}
        initialPage={{ data: items.map(serializeVault), next_page: nextPage }}
        initialActive={initialActive}
        canWrite={writable}
      />
    </>
  );
}
