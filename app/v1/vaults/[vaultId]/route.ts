import { apiRoute, methodNotAllowed } from "@/lib/api/route";
import { serializeVault } from "@/lib/serializers/vaults";
import { deleteVault, getVault, updateVault } from "@/lib/server/vaults";
import { parseInput } from "@/lib/validation/parse";
import { vaultUpdateSchema } from "@/lib/validation/vaults";

type Params = { vaultId: string };

export const GET = apiRoute<Params>("read", async ({ params }) => serializeVault(await getVault(params.vaultId)));

export const POST = apiRoute<Params>("write", async ({ params, body, context }) => {
  const input = parseInput(vaultUpdateSchema, await body());
  return serializeVault(await updateVault(params.vaultId, input, context));
});

export const DELETE = apiRoute<Params>("write", async ({ params, context }) => {
  await deleteVault(params.vaultId, context);
  return { id: params.vaultId, type: "vault_deleted" };
});

export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
