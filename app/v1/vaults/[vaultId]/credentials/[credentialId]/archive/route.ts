import { apiRoute, methodNotAllowed } from "@/lib/api/route";
import { serializeCredential } from "@/lib/serializers/credentials";
import { archiveCredential } from "@/lib/server/credentials";

type Params = { vaultId: string; credentialId: string };

export const POST = apiRoute<Params>("write", async ({ params, context }) =>
  serializeCredential(await archiveCredential(params.vaultId, params.credentialId, context)),
);

export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
