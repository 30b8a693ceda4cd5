import { apiResource, write } from "@/lib/api/route";
import { revokeApiKey } from "@/lib/server/api-keys";
import { serializeApiKey } from "@/lib/validation/api-key-object";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ apiKeyId: string }>({
  POST: write(async ({ params, context }) => serializeApiKey(await revokeApiKey(params.apiKeyId, context))),
});
