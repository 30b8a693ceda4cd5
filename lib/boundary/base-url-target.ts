import { endpointBinding } from "@/lib/boundary/endpoint-binding";
import type { PrivateEndpoints } from "@/lib/boundary/endpoint-policy";
import type { BoundaryLookup, BoundaryRow } from "@/lib/boundary/lookup";
import { OpenedTokens } from "@/lib/boundary/opened-tokens";
import { PLACEHOLDER_PATTERN, presentedPlaceholderHash } from "@/lib/boundary/placeholders";
import { ConsoleError, conflict } from "@/lib/errors";
import { RESERVED_KEYS } from "@/lib/validation/reserved-metadata";

/**
 * The credential boundary's decision per request (SPEC §7). The runtime of a session holds only an
 * opaque placeholder; the real model token is decrypted here, only to be sent to the LLM vault's own
 * base URL, and reused only while the row read for the request seals the very same bytes.
 */

/** Opens a credential's sealed token (lib/server/credential-secrets.ts#openCredentialSecret, handed in by the caller). */
export type OpenSecret = (credential: { id: string; secretKeyId: string }, blob: Uint8Array) => string;

/** What the base-URL boundary needs from the process that serves it. */
export interface BaseUrlBoundaryOptions {
  /** The booted read of a placeholder's session, vault and sealed credential (lib/boundary/lookup.ts). */
  lookup: BoundaryLookup;
  openSecret: OpenSecret;
  /** CONSOLE_PRIVATE_ENDPOINTS: checked before DNS here and against resolved addresses at connect. */
  privateEndpoints: PrivateEndpoints;
}

export interface BoundaryTarget {
  /** The LLM vault's base URL; requests go to this origin and nowhere else. */
  upstreamBase: URL;
  token: string;
  vaultId: string;
  /** When the placeholder stops being usable (its runtime key's expiry, epoch ms), or null: for a door that reuses the decision. */
  placeholderExpiresAt: number | null;
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
 * credential is active (lib/server/vaults.ts); this holds even if that rule were bypassed. Also
 * the check of an LLM vault's connection test (lib/server/connection-test.ts).
 */
export function boundEndpoint(vaultId: string, vaultMetadata: unknown, endpointOrigin: string | null, privateEndpoints: PrivateEndpoints): URL {
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

/** The tokens opened so far, reused only while the row read for a request still seals the same bytes. */
const openedTokens = new OpenedTokens();

function refused(message: string): ConsoleError {
  return new ConsoleError("authentication_error", message);
}

/** Where a row's token may go and which sealed token it is: what follows from the row alone. */
interface ResolvedRow {
  upstreamBase: URL;
  vaultId: string;
  credential: { id: string; secretKeyId: string; secretCiphertext: Uint8Array };
}

/**
 * What a row resolved to, per row object. A remembered row (lib/boundary/lookup.ts) is the same
 * object on every call until a change drops it, and a row read afresh is a new object, so this
 * spares only the work of a row already resolved: reading its metadata and checking its endpoint.
 * The token itself is still taken from openedTokens per call, which forgets an idle one. Keyed by
 * the policy too, which is fixed per door.
 */
const resolvedRows = new WeakMap<BoundaryRow, { privateEndpoints: PrivateEndpoints; resolved: ResolvedRow }>();

/**
 * Resolves a boundary request: the placeholder must be the session's current one, and the session,
 * its one LLM vault and that vault's one active credential must all be live. Only then is the
 * token opened (or reused, see openedTokens), so a rotation applies to the very next request.
 */
export async function resolveBoundaryTarget(options: BaseUrlBoundaryOptions, sessionId: string, placeholder: string | null): Promise<BoundaryTarget> {
  if (!placeholder || !PLACEHOLDER_PATTERN.test(placeholder)) {
    throw refused("Missing or malformed runtime credential: send the placeholder from the session's runtime settings as x-api-key");
  }
  const row = await options.lookup(presentedPlaceholderHash(placeholder));
  if (!row || row.session_id !== sessionId || row.revoked) {
    throw refused("Unknown or revoked runtime credential for this session; fetch the runtime settings again");
  }
  // Checked here rather than in the query: the embedded console remembers rows, and time passes.
  const placeholderExpiresAt = row.expires_at === null ? null : new Date(row.expires_at).getTime();
  if (placeholderExpiresAt !== null && placeholderExpiresAt <= Date.now()) {
    throw refused("This runtime credential expired with the runtime key that obtained it; fetch the runtime settings with an active runtime key");
  }
  let resolved = resolvedRows.get(row);
  if (resolved?.privateEndpoints !== options.privateEndpoints) {
    resolved = { privateEndpoints: options.privateEndpoints, resolved: resolvedRow(row, sessionId, options.privateEndpoints) };
    resolvedRows.set(row, resolved);
  }
  const { upstreamBase, vaultId, credential } = resolved.resolved;
  const { id, secretKeyId, secretCiphertext } = credential;
  const token = openedTokens.token(id, secretKeyId, secretCiphertext, () => options.openSecret({ id, secretKeyId }, secretCiphertext));
  return { upstreamBase, token, vaultId, placeholderExpiresAt };
}

/** Whether the row's session, vault and credential may call the model, and where; throws the refusal otherwise. */
function resolvedRow(row: BoundaryRow, sessionId: string, privateEndpoints: PrivateEndpoints): ResolvedRow {
  if (row.session_archived) throw conflict(`Session ${sessionId} is archived; its runtime may no longer call the model. Start a new session`);
  if (!row.vault_id)
    throw conflict(`Session ${sessionId} has no LLM vault attached; attach one in the session's vault_ids, then fetch the runtime settings again`);
  if (row.vault_archived) throw conflict(`LLM vault ${row.vault_id} is archived; its token was destroyed. Attach another LLM vault to session ${sessionId}`);
  const { credential_id: id, secret_ciphertext: secretCiphertext, secret_key_id: secretKeyId } = row;
  if (!id || !secretCiphertext || !secretKeyId || row.auth_type !== "static_bearer" || row.mcp_server_url) {
    throw conflict(`LLM vault ${row.vault_id} holds no usable credential; add its token as an unbound static_bearer credential`);
  }
  const upstreamBase = boundEndpoint(row.vault_id, row.vault_metadata, row.endpoint_origin, privateEndpoints);
  return { upstreamBase, vaultId: row.vault_id, credential: { id, secretKeyId, secretCiphertext } };
}
