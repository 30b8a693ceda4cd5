import { boundEndpoint, endpointRefused } from "@/lib/boundary/base-url-target";
import type { PrivateEndpoints } from "@/lib/boundary/endpoint-policy";
import { EndpointRefusedError, exchangeJson, type JsonAnswer } from "@/lib/boundary/upstream-request";
import { conflict } from "@/lib/errors";
import { settings } from "@/lib/env";
import { recordAudit, type RequestContext } from "@/lib/server/audit";
import { openCredentialSecret } from "@/lib/server/credential-secrets";
import { lockVault } from "@/lib/server/vault-rows";
import { transaction } from "@/lib/server/transaction";
import type { ConnectionOutcome, ConnectionTestResult } from "@/lib/serializers/runtime";

/**
 * An LLM vault's "Test connection" (an admin action): one request with the stored token to the
 * vault's endpoint, through the same endpoint check as the credential boundary (lib/boundary).
 */

const CONNECTION_TEST_TIMEOUT_MS = 10_000;
/** More than any models list; a larger body is not read (and so not a models list). */
const CONNECTION_TEST_BODY_MAX = 1024 * 1024;

/** One GET with the token, on Node's client through the endpoint policy's lookup (never fetch). */
function getWithToken(url: URL, token: string, privateEndpoints: PrivateEndpoints): Promise<JsonAnswer> {
  return exchangeJson(url, {
    method: "GET",
    headers: { "anthropic-version": "2023-06-01", accept: "application/json", "accept-encoding": "identity" },
    credentialHeaders: { "x-api-key": token, authorization: `Bearer ${token}` },
    privateEndpoints,
    deadlineMs: CONNECTION_TEST_TIMEOUT_MS,
    maxAnswerBytes: CONNECTION_TEST_BODY_MAX,
  });
}

/** OpenAI-style answers: `{"object":"list",…}` listings or `{"error":{…}}` without `"type":"error"`. */
function looksLikeOpenAi(body: unknown): boolean {
  if (!body || typeof body !== "object") return false;
  const record = body as Record<string, unknown>;
  if (record.object === "list") return true;
  return typeof record.error === "object" && record.error !== null && record.type !== "error";
}

/**
 * Sends one minimal request (`GET /v1/models?limit=1`) to the LLM vault's base URL with its stored
 * token and classifies the answer. The upstream's body is never echoed: a gateway may quote the
 * key it was sent.
 */
export async function testLlmVaultConnection(vaultId: string, context: RequestContext): Promise<ConnectionTestResult> {
  const privateEndpoints = settings().CONSOLE_PRIVATE_ENDPOINTS;
  const { upstreamBase, token, credentialId } = await transaction(async (tx) => {
    const vault = await lockVault(tx, vaultId);
    if (vault.kind !== "llm") throw conflict(`Vault ${vaultId} is not an LLM vault; only LLM vaults can test a model connection`);
    if (vault.archivedAt) throw conflict(`Vault ${vaultId} is archived; its token was destroyed`);
    const credential = await tx.vaultCredential.findFirst({ where: { vaultId, archivedAt: null } });
    if (!credential?.secretCiphertext || !credential.secretKeyId) throw conflict(`LLM vault ${vaultId} holds no active credential to test`);
    const endpoint = boundEndpoint(vaultId, vault.metadata, credential.endpointOrigin, privateEndpoints);
    await recordAudit(tx, context, {
      action: "vault.test_connection",
      resourceType: "vault",
      resourceId: vaultId,
      details: { credential_id: credential.id },
    });
    return {
      upstreamBase: endpoint,
      token: openCredentialSecret({ id: credential.id, secretKeyId: credential.secretKeyId }, credential.secretCiphertext),
      credentialId: credential.id,
    };
  });

  const url = new URL(`${upstreamBase.href.replace(/\/$/, "")}/v1/models?limit=1`);
  const checkedAt = new Date();
  const result = (outcome: ConnectionOutcome, status: number | null, message: string): ConnectionTestResult => ({
    vaultId,
    outcome,
    status,
    message,
    checkedAt,
  });
  let response: JsonAnswer;
  try {
    response = await getWithToken(url, token, privateEndpoints);
  } catch (error) {
    if (error instanceof EndpointRefusedError) throw endpointRefused(vaultId, error.message);
    return result("unreachable", null, `${upstreamBase.origin} did not answer (connection failed or timed out)`);
  }
  const { body } = response;
  const ok = response.status >= 200 && response.status < 300;
  if (looksLikeOpenAi(body)) {
    return result(
      "not_anthropic_compatible",
      response.status,
      `${upstreamBase.origin} answers like an OpenAI-compatible API; use an Anthropic-compatible endpoint`,
    );
  }
  if (response.status === 401 || response.status === 403) {
    return result("token_refused", response.status, `The endpoint refused credential ${credentialId} (HTTP ${response.status}); rotate the token`);
  }
  // An Anthropic-compatible endpoint lists models as `{ "data": [...] }`; a 200 web page does not.
  const listsModels = body !== null && typeof body === "object" && Array.isArray((body as Record<string, unknown>).data);
  if (ok && listsModels) return result("ok", response.status, `${upstreamBase.origin} accepted the token`);
  if (ok) {
    return result("not_anthropic_compatible", response.status, `${upstreamBase.origin} answered GET /v1/models with something other than a models list`);
  }
  return result(
    "not_anthropic_compatible",
    response.status,
    `${upstreamBase.origin} answered GET /v1/models with HTTP ${response.status}, which an Anthropic-compatible API does not`,
  );
}
