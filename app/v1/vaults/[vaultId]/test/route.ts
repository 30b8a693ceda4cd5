import { apiResource, write } from "@/lib/api/route";
import { testLlmVaultConnection } from "@/lib/server/boundary";
import { serializeConnectionTest } from "@/lib/validation/runtime";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ vaultId: string }>({
  /** A console extension: one minimal request to the LLM vault's endpoint with its stored token. */
  POST: write(async ({ params, context }) => serializeConnectionTest(await testLlmVaultConnection(params.vaultId, context))),
});
