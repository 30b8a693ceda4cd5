import { apiResource, write } from "@/lib/api/route";
import { serializeApiKey } from "@/lib/serializers/api-keys";
import { revokeApiKey } from "@/lib/server/api-keys";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ apiKeyId: string }>({
  POST: write(async ({ params, context }) => serializeApiKey(await revokeApiKey(params.apiKeyId, context))),
});
