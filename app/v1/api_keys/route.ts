import { apiResource, listPage, read, write } from "@/lib/api/route";
import { serializeApiKey } from "@/lib/serializers/api-keys";
import { createApiKey, listApiKeys } from "@/lib/server/api-keys";
import { apiKeyCreateSchema } from "@/lib/validation/api-keys";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource({
  GET: read(async () => listPage({ items: await listApiKeys(), nextPage: null }, serializeApiKey)),
  /** The response is the only time the key exists outside its hash: store it now. */
  POST: write(async ({ input, context }) => {
    const { apiKey, key } = await createApiKey(await input(apiKeyCreateSchema), context);
    return { ...serializeApiKey(apiKey), key };
  }),
});
