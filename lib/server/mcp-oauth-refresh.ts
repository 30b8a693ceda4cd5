// No `server-only` marker: the egress proxy, which scripts/start.ts serves outside Next, calls it.
import { z } from "zod";
import type { VaultCredential } from "@/lib/generated/prisma/client";
import { endpointRefusal, type PrivateEndpoints } from "@/lib/boundary/endpoint-policy";
import { EndpointRefusedError, exchangeJson, type JsonAnswer } from "@/lib/boundary/upstream-request";
import { tokenHint } from "@/lib/crypto/token-hint";
import { settings } from "@/lib/env";
import { ConsoleError } from "@/lib/errors";
import { db } from "@/lib/instances";
import { recordAudit, SYSTEM_CONTEXT, type RequestContext } from "@/lib/server/audit";
import { openCredentialSecret, sealChanges, type SecretChanges } from "@/lib/server/credential-secrets";
import { transaction } from "@/lib/server/transaction";
import { mcpOauthPublicSchema, type McpOauthPublic } from "@/lib/serializers/credentials";
import { REFRESH_TOKEN_MAX, TOKEN_MAX } from "@/lib/validation/credentials";

/**
 * The access token of an `mcp_oauth` credential for the egress proxy to inject, refreshed first
 * (OAuth 2.0 refresh_token grant, RFC 6749 §6) when it expires within a minute and the credential
 * has refresh settings. The refresh runs under the credential's row lock and re-checks the expiry
 * once it holds it, so processes sharing a database refresh once, not once each: many servers
 * rotate the refresh token on use and treat a second use of the old one as theft.
 */

/** The token, or what the proxy answers the runtime instead: the problem and its HTTP status (403, 502 or 503). */
export type FreshToken = { token: string } | { problem: string; status: number };

/** Refreshed this long before the stored expiry, so a token does not expire on its way upstream. */
const REFRESH_MARGIN_MS = 60_000;
const TOKEN_ENDPOINT_TIMEOUT_MS = 10_000;
/** More than any token answer; a larger body is not read (and so not a token answer). */
const TOKEN_ANSWER_MAX = 64 * 1024;

/** Ten years: a longer lifetime is a malformed answer (and past what a Date holds, at the extreme). */
const EXPIRES_IN_MAX_SECONDS = 10 * 365 * 24 * 3600;

/** RFC 6749 §5.1; `expires_in` arrives as a string from some servers. */
const tokenAnswerSchema = z.object({
  access_token: z.string().min(1).max(TOKEN_MAX),
  token_type: z.string().optional(),
  expires_in: z
    .union([z.number(), z.string().regex(/^\d+$/).transform(Number)])
    .pipe(z.number().positive().max(EXPIRES_IN_MAX_SECONDS))
    .optional(),
  refresh_token: z.string().min(1).max(REFRESH_TOKEN_MAX).optional(),
});

/** RFC 6749 §5.2: only the error code is repeated; its description is the server's own text. */
const tokenErrorSchema = z.object({ error: z.string().regex(/^[a-z_]{1,64}$/) });

function refused(message: string): ConsoleError {
  return new ConsoleError("permission_error", message);
}

function expiresSoon(auth: McpOauthPublic, now: number): boolean {
  return auth.expires_at !== null && new Date(auth.expires_at).getTime() - REFRESH_MARGIN_MS <= now;
}

/** The stored mcp_oauth credential, or the reason it cannot give a token. */
function usableCredential(
  credentialId: string,
  credential: VaultCredential | null,
): { credential: VaultCredential & { secretKeyId: string; secretCiphertext: Uint8Array }; auth: McpOauthPublic } {
  if (!credential) throw refused(`Credential ${credentialId} was not found; it may just have been deleted`);
  if (credential.archivedAt || !credential.secretCiphertext || !credential.secretKeyId) {
    throw refused(`Credential ${credentialId} is archived; its token was destroyed. Attach a vault with an active credential for this MCP server`);
  }
  const auth = credential.authType === "mcp_oauth" ? mcpOauthPublicSchema.safeParse(credential.authPublic) : null;
  if (!auth?.success) throw refused(`Credential ${credentialId} is not an mcp_oauth credential`);
  return { credential: { ...credential, secretKeyId: credential.secretKeyId, secretCiphertext: credential.secretCiphertext }, auth: auth.data };
}

/**
 * One form POST to the token endpoint on Node's client, through the endpoint policy's lookup. The
 * secrets go in the body and in headers set after the request exists (never in its options, which
 * NODE_DEBUG=http prints).
 */
function postForm(url: URL, form: URLSearchParams, credentialHeaders: Record<string, string>, privateEndpoints: PrivateEndpoints): Promise<JsonAnswer> {
  const body = Buffer.from(form.toString(), "utf8");
  return exchangeJson(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "content-length": body.length, accept: "application/json", "accept-encoding": "identity" },
    credentialHeaders,
    privateEndpoints,
    body,
    deadlineMs: TOKEN_ENDPOINT_TIMEOUT_MS,
    maxAnswerBytes: TOKEN_ANSWER_MAX,
  });
}

type Refresh = NonNullable<McpOauthPublic["refresh"]>;

/** The request of RFC 6749 §6, the client authenticated as its settings say (§2.3.1). */
function refreshRequest(credential: VaultCredential & { secretKeyId: string }, refresh: Refresh): { form: URLSearchParams; headers: Record<string, string> } {
  const open = (field: "refresh_token" | "client_secret", blob: Uint8Array | null) => {
    if (!blob) throw refused(`Credential ${credential.id} has no stored ${field}; update its refresh settings`);
    return openCredentialSecret(credential, blob, field);
  };
  const form = new URLSearchParams({ grant_type: "refresh_token", refresh_token: open("refresh_token", credential.refreshTokenCiphertext) });
  if (refresh.scope) form.set("scope", refresh.scope);
  if (refresh.resource) form.set("resource", refresh.resource);
  const headers: Record<string, string> = {};
  const auth = refresh.token_endpoint_auth.type;
  if (auth === "client_secret_basic") {
    const secret = open("client_secret", credential.clientSecretCiphertext);
    const pair = `${encodeURIComponent(refresh.client_id)}:${encodeURIComponent(secret)}`;
    headers.authorization = `Basic ${Buffer.from(pair, "utf8").toString("base64")}`;
  } else {
    form.set("client_id", refresh.client_id);
    if (auth === "client_secret_post") form.set("client_secret", open("client_secret", credential.clientSecretCiphertext));
  }
  return { form, headers };
}

/** Asks the token endpoint for a new access token; a refusal or failure is a ConsoleError to report. */
async function requestNewToken(credential: VaultCredential & { secretKeyId: string }, refresh: Refresh): Promise<z.output<typeof tokenAnswerSchema>> {
  const privateEndpoints = settings().CONSOLE_PRIVATE_ENDPOINTS;
  const url = new URL(refresh.token_endpoint);
  const refusal = endpointRefusal(url, privateEndpoints);
  if (refusal) throw refused(`The console will not send credential ${credential.id}'s refresh token to its token_endpoint: ${refusal}`);
  const { form, headers } = refreshRequest(credential, refresh);
  let answer: JsonAnswer;
  try {
    answer = await postForm(url, form, headers, privateEndpoints);
  } catch (error) {
    if (error instanceof EndpointRefusedError)
      throw refused(`The console will not send credential ${credential.id}'s refresh token to its token_endpoint: ${error.message}`);
    throw new ConsoleError(
      "api_error",
      `The token endpoint ${url.origin} did not answer (connection failed or timed out), so credential ${credential.id}'s access token could not be refreshed; try again later`,
      { status: 502 },
    );
  }
  if (answer.status < 200 || answer.status > 299) {
    const code = tokenErrorSchema.safeParse(answer.body);
    throw refused(
      `The token endpoint ${url.origin} refused to refresh credential ${credential.id}'s access token (HTTP ${answer.status}${code.success ? `, ${code.data.error}` : ""}); ` +
        "update the credential's access_token and refresh_token",
    );
  }
  const token = tokenAnswerSchema.safeParse(answer.body);
  if (!token.success || (token.data.token_type !== undefined && token.data.token_type.toLowerCase() !== "bearer")) {
    throw new ConsoleError(
      "api_error",
      `The token endpoint ${url.origin} answered the refresh of credential ${credential.id} without a usable bearer access_token`,
      {
        status: 502,
      },
    );
  }
  return token.data;
}

type UsableCredential = ReturnType<typeof usableCredential>;

/**
 * The stored token when no refresh is due or possible: one that expires within the margin is still
 * sent while it is valid; an expired one without refresh settings is refused with what to do.
 */
function storedToken({ credential, auth }: UsableCredential, now: number): string {
  if (auth.expires_at !== null && new Date(auth.expires_at).getTime() <= now) {
    throw refused(
      `The access token of credential ${credential.id} expired at ${auth.expires_at} and the credential has no refresh settings; ` +
        "update its access_token, or create a new credential with refresh settings",
    );
  }
  return openCredentialSecret(credential, credential.secretCiphertext);
}

/** Under the row lock: refresh unless another caller (in this process or another) just did. */
function refreshUnderLock(credentialId: string, context: RequestContext): Promise<string> {
  return transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM vault_credentials WHERE id = ${credentialId} FOR UPDATE`;
    const usable = usableCredential(credentialId, await tx.vaultCredential.findUnique({ where: { id: credentialId } }));
    const { credential, auth } = usable;
    const now = Date.now();
    if (!expiresSoon(auth, now) || !auth.refresh) return storedToken(usable, now);
    const answer = await requestNewToken(credential, auth.refresh);
    const expiresAt = answer.expires_in === undefined ? null : new Date(now + answer.expires_in * 1000).toISOString();
    // A server that does not rotate the refresh token leaves the stored one in use (RFC 6749 §6).
    const secrets: SecretChanges = { secret: answer.access_token, ...(answer.refresh_token ? { refresh_token: answer.refresh_token } : {}) };
    await tx.vaultCredential.update({
      where: { id: credentialId },
      data: {
        authPublic: { ...auth, expires_at: expiresAt },
        ...sealChanges(credentialId, secrets, credential),
        tokenHint: tokenHint(answer.access_token),
        updatedAt: new Date(now),
      },
    });
    await recordAudit(tx, context, {
      action: "vault_credential.refresh",
      resourceType: "vault_credential",
      resourceId: credentialId,
      details: { vault_id: credential.vaultId, expires_at: expiresAt, refresh_token_rotated: answer.refresh_token !== undefined },
    });
    return answer.access_token;
  });
}

export type FreshMcpAccessToken = (credentialId: string, context?: RequestContext) => Promise<FreshToken>;

/**
 * A process's refresher: concurrent calls for one credential share one refresh here, and the row
 * lock makes refreshers of other processes wait for it and then use its result.
 */
export function createMcpTokenRefresher(): FreshMcpAccessToken {
  const refreshing = new Map<string, Promise<string>>();
  return async (credentialId, context = SYSTEM_CONTEXT) => {
    try {
      const usable = usableCredential(credentialId, await db().vaultCredential.findUnique({ where: { id: credentialId } }));
      const now = Date.now();
      if (!expiresSoon(usable.auth, now) || !usable.auth.refresh) return { token: storedToken(usable, now) };
      let pending = refreshing.get(credentialId);
      if (!pending) {
        pending = refreshUnderLock(credentialId, context).finally(() => refreshing.delete(credentialId));
        refreshing.set(credentialId, pending);
      }
      return { token: await pending };
    } catch (error) {
      if (error instanceof ConsoleError) return { problem: error.message, status: error.status };
      throw error;
    }
  };
}

/**
 * The token to inject for an mcp_oauth credential, or the problem to answer the runtime with
 * (a refusal or an unreachable token endpoint). Errors other than those (a database failure) throw.
 */
export const freshMcpAccessToken: FreshMcpAccessToken = createMcpTokenRefresher();
