import { apiResource, write } from "@/lib/api/route";
import { serializeCredential } from "@/lib/serializers/credentials";
import { archiveCredential } from "@/lib/server/credentials";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ vaultId: string; credentialId: string }>({
  POST: write(async ({ params, context }) => serializeCredential(await archiveCredential(params.vaultId, params.credentialId, context))),
});
