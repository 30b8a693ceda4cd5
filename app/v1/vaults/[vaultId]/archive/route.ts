import { apiResource, write } from "@/lib/api/route";
import { serializeVault } from "@/lib/serializers/vaults";
import { archiveVault } from "@/lib/server/vaults";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ vaultId: string }>({
  POST: write(async ({ params, context }) => serializeVault(await archiveVault(params.vaultId, context))),
});
