import { apiResource, deleted, read, write } from "@/lib/api/route";
import { serializeCredential } from "@/lib/serializers/credentials";
import { deleteCredential, getCredential, updateCredential } from "@/lib/server/credentials";
import { credentialUpdateSchema } from "@/lib/validation/credentials";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ vaultId: string; credentialId: string }>({
  GET: read(async ({ params }) => serializeCredential(await getCredential(params.vaultId, params.credentialId))),
  POST: write(async ({ params, input, context }) =>
    serializeCredential(await updateCredential(params.vaultId, params.credentialId, await input(credentialUpdateSchema), context)),
  ),
  DELETE: write(({ params, context }) => deleted("vault_credential", params.credentialId, deleteCredential(params.vaultId, params.credentialId, context))),
});
