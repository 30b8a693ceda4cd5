import { apiRoute, methodNotAllowed } from "@/lib/api/route";
import { archiveVault } from "@/lib/server/vaults";
import { serializeVault } from "@/lib/validation/vaults";

type Params = { vaultId: string };

export const POST = apiRoute<Params>("write", async ({ params, context }) =>
  serializeVault(await archiveVault(params.vaultId, context)),
);

export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
