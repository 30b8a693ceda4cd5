import { apiResource, write } from "@/lib/api/route";
import { archiveVault } from "@/lib/server/vaults";
import { serializeVault } from "@/lib/validation/vaults";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ vaultId: string }>({
  POST: write(async ({ params, context }) => serializeVault(await archiveVault(params.vaultId, context))),
});
