import { apiRoute, methodNotAllowed } from "@/lib/api/route";
import { serializeApiKey } from "@/lib/serializers/api-keys";
import { createApiKey, listApiKeys } from "@/lib/server/api-keys";
import { apiKeyCreateRequestSchema } from "@/lib/validation/api-keys";
import { parseInput } from "@/lib/validation/parse";

export const GET = apiRoute("read", async () => ({ data: (await listApiKeys()).map(serializeApiKey), next_page: null }));

/** The response is the only time the key exists outside its hash: store it now. */
export const POST = apiRoute("write", async ({ body, context }) => {
  const input = parseInput(apiKeyCreateRequestSchema, await body());
  const scope = input.environment_id ? { environmentId: input.environment_id } : input.session_ids ? { sessionIds: input.session_ids } : null;
  const { apiKey, key } = await createApiKey({ name: input.name, role: input.role, expiresAt: input.expires_at ?? null, scope }, context);
  return { ...serializeApiKey(apiKey), key };
});

export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
