import { apiResource, listPage, read, write } from "@/lib/api/route";
import { serializeVault } from "@/lib/serializers/vaults";
import { vaultRows } from "@/lib/server/console-rows";
import { createVault, listVaults } from "@/lib/server/vaults";
import { listOptions } from "@/lib/validation/pagination";
import { vaultCreateSchema, vaultListFilters, vaultListQuerySchema } from "@/lib/validation/vaults";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource({
  GET: read(async ({ query }) => {
    const filtered = query(vaultListQuerySchema);
    const page = await listVaults(listOptions(filtered), vaultListFilters(filtered));
    if (filtered.include !== "console_row") return listPage(page, serializeVault);
    // The console's list rows: the same objects, each with its `console` field, in a fixed number of statements.
    return listPage({ ...page, items: await vaultRows(page.items) }, (row) => row);
  }),
  POST: write(async ({ input, context }) => serializeVault(await createVault(await input(vaultCreateSchema), context))),
});
