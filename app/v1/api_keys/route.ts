import { apiRoute, methodNotAllowed } from "@/lib/api/route";
import { serializeApiKey } from "@/lib/serializers/api-keys";
import { createApiKey, listApiKeys } from "@/lib/server/api-keys";
import { apiKeyCreateSchema } from "@/lib/validation/api-keys";
import { parseInput } from "@/lib/validation/parse";

export const GET = apiRoute("read", async () => ({ data: (await listApiKeys()).map(serializeApiKey), next_page: null }));

/** The response is the only time the key exists outside its hash: store it now. */
export const POST = apiRoute("write", async ({ body, context }) => {
  const { apiKey, key } = await createApiKey(parseInput(apiKeyCreateSchema, await body()), context);
  return { ...serializeApiKey(apiKey), key };
});

export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
