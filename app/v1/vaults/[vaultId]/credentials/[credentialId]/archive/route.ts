import { apiResource, write } from "@/lib/api/route";
import { archiveCredential } from "@/lib/server/credentials";
import { serializeCredential } from "@/lib/validation/credential-object";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ vaultId: string; credentialId: string }>({
  POST: write(async ({ params, context }) => serializeCredential(await archiveCredential(params.vaultId, params.credentialId, context))),
});
