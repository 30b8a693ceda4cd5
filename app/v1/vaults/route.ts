import { apiResource, listPage, read, write } from "@/lib/api/route";
import { serializeVault } from "@/lib/serializers/vaults";
import { createVault, listVaults } from "@/lib/server/vaults";
import { listOptions } from "@/lib/validation/pagination";
import { vaultCreateSchema, vaultListFilters, vaultListQuerySchema } from "@/lib/validation/vaults";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource({
  GET: read(async ({ query }) => {
    const filtered = query(vaultListQuerySchema);
    return listPage(await listVaults(listOptions(filtered), vaultListFilters(filtered)), serializeVault);
  }),
  POST: write(async ({ input, context }) => serializeVault(await createVault(await input(vaultCreateSchema), context))),
});
