import { apiRoute, methodNotAllowed } from "@/lib/api/route";
import { serializeVault } from "@/lib/serializers/vaults";
import { archiveVault } from "@/lib/server/vaults";

type Params = { vaultId: string };

export const POST = apiRoute<Params>("write", async ({ params, context }) =>
  serializeVault(await archiveVault(params.vaultId, context)),
);

export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
