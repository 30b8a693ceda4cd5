// No `server-only` marker: scripts/start.ts serves the boundary itself, outside Next (see serveBoundary there).
import { hashPlaceholder, PLACEHOLDER_PATTERN } from "@/lib/boundary/placeholders";
import { endpointBinding } from "@/lib/boundary/endpoint-binding";
import type { PrivateEndpoints } from "@/lib/boundary/endpoint-policy";
import { EndpointRefusedError, openUpstreamRequest } from "@/lib/boundary/upstream-request";
import { ConsoleError, conflict } from "@/lib/errors";
import { settings } from "@/lib/env";
import { boundaryLookup } from "@/lib/instances";
import { recordAudit, type RequestContext } from "@/lib/server/audit";
import { openCredentialSecret } from "@/lib/server/credential-secrets";
import { lockVault } from "@/lib/server/vault-rows";
import { transaction } from "@/lib/server/transaction";
import type { ConnectionOutcome, ConnectionTestResult } from "@/lib/serializers/runtime";
import { RESERVED_KEYS } from "@/lib/validation/reserved-metadata";

/**
 * The credential boundary (SPEC §7). The runtime of a session holds only an opaque placeholder;
 * the real model token is decrypted here, per request, and only to be sent to the LLM vault's own
 * base URL. Nothing else in the console decrypts a secret.
 */

export interface BoundaryTarget {
  /** The LLM vault's base URL; requests go to this origin and nowhere else. */
  upstreamBase: URL;
  token: string;
  /** CONSOLE_PRIVATE_ENDPOINTS, for the connect-time check of resolved addresses. */
  privateEndpoints: PrivateEndpoints;
  vaultId: string;
}

/** The refusal for an endpoint the policy refuses, before DNS (here) or after it (the request's lookup). */
export function endpointRefused(vaultId: string, problem: string): ConsoleError {
  return new ConsoleError(
    "conflict_error",
    `The console will not send LLM vault ${vaultId}'s token there: ${problem}. ` +
      `Ask an operator to allow the host, or archive the credential, point ${RESERVED_KEYS.llmBaseUrl} at a public https endpoint, and add the token again.`,
    { details: { error_code: "endpoint_refused" } },
  );
}

/**
 * Where the token of an LLM vault may go right now: its base URL, checked against the endpoint
 * policy again (a row written before the policy, or a changed CONSOLE_PRIVATE_ENDPOINTS), and only
 * if it is the origin the token was stored for. The vault's endpoint cannot change while a
 * credential is active (lib/server/vaults.ts); this holds even if that rule were bypassed.
 */
function boundEndpoint(vaultId: string, vaultMetadata: unknown, endpointOrigin: string | null, privateEndpoints: PrivateEndpoints): URL {
  // The same decision as the session diagnostics' llm_endpoint_refused check, so they cannot disagree.
  const binding = endpointBinding(vaultMetadata, privateEndpoints, { endpointOrigin });
  if (binding.ok) return binding.url;
  if (binding.code === "endpoint_refused") throw endpointRefused(vaultId, `${RESERVED_KEYS.llmBaseUrl} ${binding.problem}`);
  throw new ConsoleError(
    "conflict_error",
    `The token in LLM vault ${vaultId} was stored for ${binding.boundOrigin ?? "another endpoint"}, not for ${binding.currentOrigin}, which the vault names now. ` +
      "Archive the credential and add the token for the vault's current endpoint.",
    { details: { error_code: "endpoint_not_bound" } },
  );
}

function refused(message: string): ConsoleError {
  return new ConsoleError("authentication_error", message);
}

/**
 * Resolves a boundary request: the placeholder must be the session's current one, and the session,
 * its one LLM vault and that vault's one active credential must all be live. Only then is the
 * token decrypted — for this request alone, so a rotation applies to the very next one.
 */
export async function resolveBoundaryTarget(sessionId: string, placeholder: string | null): Promise<BoundaryTarget> {
  if (!placeholder || !PLACEHOLDER_PATTERN.test(placeholder)) {
    throw refused("Missing or malformed runtime credential: send the placeholder from the session's runtime settings as x-api-key");
  }
  const row = await boundaryLookup()(hashPlaceholder(placeholder));
  if (!row || row.session_id !== sessionId || row.revoked) {
    throw refused("Unknown or revoked runtime credential for this session; fetch the runtime settings again");
  }
  // Checked here rather than in the query: the embedded console remembers rows, and time passes.
  if (row.expires_at !== null && new Date(row.expires_at).getTime() <= Date.now()) {
    throw refused("This runtime credential expired with the runtime key that obtained it; fetch the runtime settings with an active runtime key");
  }
  if (row.session_archived) throw conflict(`Session ${sessionId} is archived; its runtime may no longer call the model. Start a new session`);
  if (!row.vault_id)
    throw conflict(`Session ${sessionId} has no LLM vault attached; attach one in the session's vault_ids, then fetch the runtime settings again`);
  if (row.vault_archived) throw conflict(`LLM vault ${row.vault_id} is archived; its token was destroyed. Attach another LLM vault to session ${sessionId}`);
  const credential = row.credential_id ? { id: row.credential_id, secretCiphertext: row.secret_ciphertext, secretKeyId: row.secret_key_id } : undefined;
  if (!credential?.secretCiphertext || !credential.secretKeyId || row.auth_type !== "static_bearer" || row.mcp_server_url) {
    throw conflict(`LLM vault ${row.vault_id} holds no usable credential; add its token as an unbound static_bearer credential`);
  }
  const privateEndpoints = settings().CONSOLE_PRIVATE_ENDPOINTS;
  const upstreamBase = boundEndpoint(row.vault_id, row.vault_metadata, row.endpoint_origin, privateEndpoints);
  const token = openCredentialSecret({ id: credential.id, secretKeyId: credential.secretKeyId }, credential.secretCiphertext);
  return { upstreamBase, token, privateEndpoints, vaultId: row.vault_id };
}

const CONNECTION_TEST_TIMEOUT_MS = 10_000;
/** More than any models list; a larger body is not read (and so not a models list). */
const CONNECTION_TEST_BODY_MAX = 1024 * 1024;

interface UpstreamAnswer {
  status: number;
  /** The parsed JSON body, or null when it is not JSON (or too large). */
  body: unknown;
}

/** One GET with the token, on Node's client through the endpoint policy's lookup (never fetch). */
function getWithToken(url: URL, token: string, privateEndpoints: PrivateEndpoints): Promise<UpstreamAnswer> {
  return new Promise((resolve, reject) => {
    const request = openUpstreamRequest(url, {
      method: "GET",
      headers: { "anthropic-version": "2023-06-01", accept: "application/json", "accept-encoding": "identity" },
      credentialHeaders: { "x-api-key": token, authorization: `Bearer ${token}` },
      privateEndpoints,
    });
    const deadline = setTimeout(() => request.destroy(new Error("timed out")), CONNECTION_TEST_TIMEOUT_MS);
    request.on("error", (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const answer = (body: unknown) => {
        clearTimeout(deadline);
        resolve({ status: response.statusCode ?? 0, body });
      };
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size <= CONNECTION_TEST_BODY_MAX) chunks.push(chunk);
        else {
          response.destroy();
          answer(null);
        }
      });
      response.on("end", () => {
        try {
          answer(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        } catch {
          answer(null);
        }
      });
      response.on("error", () => answer(null));
    });
    request.end();
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
  let response: UpstreamAnswer;
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
