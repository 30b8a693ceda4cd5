import type { Metadata } from "next";
import { VaultsTable } from "@/components/vaults/vaults-table";
import { userMay } from "@/lib/auth/policy";
import { requireUser } from "@/lib/auth/session";
import { readAddress } from "@/lib/queries/address-state";
import { vaultKeys, vaultListAddress, VAULTS_PAGE_SIZE, type VaultListParams } from "@/lib/queries/vaults";
import { vaultRows } from "@/lib/server/console-rows";
import { listVaults } from "@/lib/server/vaults";
import { ListPageHeader, readListPage, type SearchParams } from "../resource-pages";

export const metadata: Metadata = { title: "Vaults" };

/**
 * The page for this address (search, kind, archived, page cursor) is rendered here, from the same
 * services GET /v1/vaults?include=console_row uses; every change after that reads that route.
 */
export default async function VaultsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  const query = await searchParams;
  const state = readAddress(vaultListAddress, query);
  const params: VaultListParams = {
    q: state.q.slice(0, 255),
    kind: state.kind ?? "",
    includeArchived: state.archived,
    page: state.page,
    limit: VAULTS_PAGE_SIZE,
  };
  const page = await readListPage(
    () =>
      listVaults(
        { limit: params.limit, includeArchived: params.includeArchived, page: params.page ?? undefined },
        { nameContains: params.q.trim() || undefined, kind: params.kind || undefined },
      ),
    "/vaults",
    query,
  );
  const writable = userMay(user, "write");
  // A server component renders once per request; its time stamps the rows it read.
  // eslint-disable-next-line react-hooks/purity
  const at = Date.now();

  return (
    <>
      <ListPageHeader
        page={{
          title: "Vaults",
          docs: "vaults",
          description: "Encrypted homes for model tokens and other credentials. Sessions attach exactly one LLM vault.",
          newLink: { href: "/vaults/new", label: "New vault" },
        }}
        writable={writable}
      />
      <VaultsTable initial={{ key: vaultKeys.list(params), data: { data: await vaultRows(page.items), next_page: page.nextPage }, at }} canWrite={writable} />
    </>
  );
}
