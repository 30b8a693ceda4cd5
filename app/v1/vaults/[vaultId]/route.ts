import { apiResource, deleted, read, write } from "@/lib/api/route";
import { serializeVault } from "@/lib/serializers/vaults";
import { deleteVault, getVault, updateVault } from "@/lib/server/vaults";
import { vaultUpdateSchema } from "@/lib/validation/vaults";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ vaultId: string }>({
  GET: read(async ({ params }) => serializeVault(await getVault(params.vaultId))),
  POST: write(async ({ params, input, context }) => serializeVault(await updateVault(params.vaultId, await input(vaultUpdateSchema), context))),
  DELETE: write(({ params, context }) => deleted("vault", params.vaultId, deleteVault(params.vaultId, context))),
});
