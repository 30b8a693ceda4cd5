import { apiRoute, methodNotAllowed } from "@/lib/api/route";
import { serializeVault } from "@/lib/serializers/vaults";
import { createVault, listVaults } from "@/lib/server/vaults";
import { listOptions } from "@/lib/validation/pagination";
import { parseInput } from "@/lib/validation/parse";
import { vaultCreateSchema, vaultListFilters, vaultListQuerySchema } from "@/lib/validation/vaults";

export const GET = apiRoute("read", async ({ query: queryString }) => {
  const query = parseInput(vaultListQuerySchema, queryString, "query");
  const { items, nextPage } = await listVaults(listOptions(query), vaultListFilters(query));
  return { data: items.map(serializeVault), next_page: nextPage };
});

export const POST = apiRoute("write", async ({ body, context }) => {
  const input = parseInput(vaultCreateSchema, await body());
  return serializeVault(await createVault(input, context));
});

export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
