import { apiRoute, methodNotAllowed } from "@/lib/api/route";
import { serializeApiKey } from "@/lib/serializers/api-keys";
import { revokeApiKey } from "@/lib/server/api-keys";

type Params = { apiKeyId: string };

export const POST = apiRoute<Params>("write", async ({ params, context }) => serializeApiKey(await revokeApiKey(params.apiKeyId, context)));

export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
