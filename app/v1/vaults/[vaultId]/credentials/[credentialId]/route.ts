import { apiRoute, methodNotAllowed } from "@/lib/api/route";
import { serializeCredential } from "@/lib/serializers/credentials";
import { deleteCredential, getCredential, updateCredential } from "@/lib/server/credentials";
import { credentialUpdateSchema } from "@/lib/validation/credentials";
import { parseInput } from "@/lib/validation/parse";

type Params = { vaultId: string; credentialId: string };

export const GET = apiRoute<Params>("read", async ({ params }) =>
  serializeCredential(await getCredential(params.vaultId, params.credentialId)),
);

export const POST = apiRoute<Params>("write", async ({ params, body, context }) => {
  const input = parseInput(credentialUpdateSchema, await body());
  return serializeCredential(await updateCredential(params.vaultId, params.credentialId, input, context));
});

export const DELETE = apiRoute<Params>("write", async ({ params, context }) => {
  await deleteCredential(params.vaultId, params.credentialId, context);
  return { id: params.credentialId, type: "vault_credential_deleted" };
});

export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
