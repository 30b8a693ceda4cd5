import { apiResource, listPage, read, write } from "@/lib/api/route";
import { serializeCredential } from "@/lib/serializers/credentials";
import { createCredential, listCredentials } from "@/lib/server/credentials";
import { credentialCreateSchema } from "@/lib/validation/credentials";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ vaultId: string }>({
  GET: read(async ({ params, listQuery }) => listPage(await listCredentials(params.vaultId, listQuery()), serializeCredential)),
  POST: write(async ({ params, input, context }) => serializeCredential(await createCredential(params.vaultId, await input(credentialCreateSchema), context))),
});
