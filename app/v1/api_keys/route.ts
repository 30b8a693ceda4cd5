import { apiResource, listPage, read, write } from "@/lib/api/route";
import { createApiKey, listApiKeys } from "@/lib/server/api-keys";
import { apiKeyCreateRequestSchema, serializeApiKey } from "@/lib/validation/api-key-object";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource({
  GET: read(async () => listPage({ items: await listApiKeys(), nextPage: null }, serializeApiKey)),
  /** The response is the only time the key exists outside its hash: store it now. */
  POST: write(async ({ input, context }) => {
    const { name, role, expires_at, environment_id, session_ids } = await input(apiKeyCreateRequestSchema);
    const scope = environment_id ? { environmentId: environment_id } : session_ids ? { sessionIds: session_ids } : null;
    const { apiKey, key } = await createApiKey({ name, role, expiresAt: expires_at ?? null, scope }, context);
    return { ...serializeApiKey(apiKey), key };
  }),
});
