import { apiResource, write } from "@/lib/api/route";
import { serializeConnectionTest } from "@/lib/serializers/runtime";
import { testLlmVaultConnection } from "@/lib/server/connection-test";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ vaultId: string }>({
  /** A console extension: one minimal request to the LLM vault's endpoint with its stored token. */
  POST: write(async ({ params, context }) => serializeConnectionTest(await testLlmVaultConnection(params.vaultId, context))),
});
