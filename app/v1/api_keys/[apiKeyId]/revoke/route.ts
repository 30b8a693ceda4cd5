import { apiRoute, methodNotAllowed } from "@/lib/api/route";
import { revokeApiKey } from "@/lib/server/api-keys";
import { serializeApiKey } from "@/lib/validation/api-key-object";

type Params = { apiKeyId: string };

export const POST = apiRoute<Params>("write", async ({ params, context }) => serializeApiKey(await revokeApiKey(params.apiKeyId, context)));

export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
