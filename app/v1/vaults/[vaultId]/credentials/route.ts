import { apiRoute, methodNotAllowed } from "@/lib/api/route";
import { serializeCredential } from "@/lib/serializers/credentials";
import { createCredential, listCredentials } from "@/lib/server/credentials";
import { credentialCreateSchema } from "@/lib/validation/credentials";
import { parseInput } from "@/lib/validation/parse";

type Params = { vaultId: string };

export const GET = apiRoute<Params>("read", async ({ params, listQuery }) => {
  const { items, nextPage } = await listCredentials(params.vaultId, listQuery());
  return { data: items.map(serializeCredential), next_page: nextPage };
});

export const POST = apiRoute<Params>("write", async ({ params, body, context }) => {
  const input = parseInput(credentialCreateSchema, await body());
  return serializeCredential(await createCredential(params.vaultId, input, context));
});

export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
