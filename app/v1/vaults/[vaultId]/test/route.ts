import { apiRoute, methodNotAllowed } from "@/lib/api/route";
import { serializeConnectionTest } from "@/lib/serializers/runtime";
import { testLlmVaultConnection } from "@/lib/server/boundary";

type Params = { vaultId: string };

/** A console extension: one minimal request to the LLM vault's endpoint with its stored token. */
export const POST = apiRoute<Params>("write", async ({ params, context }) =>
  serializeConnectionTest(await testLlmVaultConnection(params.vaultId, context)),
);

export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
