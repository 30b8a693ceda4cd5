import "server-only";
import { db } from "@/lib/instances";
import type { Prisma } from "@/lib/generated/prisma/client";
import { authorizeRuntimeSession, scopeMayCover } from "@/lib/auth/policy";
import type { RuntimeKeyScope } from "@/lib/auth/runtime-key-scope";
import { ConsoleError, conflict, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { readActiveRuntimeKey } from "@/lib/server/api-keys";
import { recordAudit, type RequestContext } from "@/lib/server/audit";
import { getSessionDiagnostics } from "@/lib/server/session-diagnostics";
import { transaction } from "@/lib/server/transaction";
import { serializeDiagnostics } from "@/lib/serializers/diagnostics";
import type { RuntimeSettings } from "@/lib/serializers/runtime";
import { DEFAULT_LLM_BASE_URL, llmEndpointOf, SUPPORTED_ENGINE } from "@/lib/validation/reserved-metadata";
import { storedMetadata } from "@/lib/validation/common";
import { plannedVariables } from "@/lib/boundary/egress-plan";
import { settings } from "@/lib/env";
import { egressCaBundle, egressCaCertificate } from "@/lib/server/egress-authority";
import { egressPlanOf, readSessionReach, type SessionReach } from "@/lib/server/egress-reach";
import { boundaryBaseUrl, type BoundaryDoor, hashPlaceholder, newPlaceholder, placeholderPrefix, variablePlaceholder } from "@/lib/boundary/placeholders";

export type RuntimeMode = "boundary" | "egress";

/** Where the runtime writes `ca_bundle` unless it says otherwise: writable in nearly every sandbox. */
export const DEFAULT_CA_PATH = "/tmp/console-egress-ca.pem";

export interface RuntimeRequest {
  mode: RuntimeMode;
  caPath: string;
  /**
   * Where the boundary is reached when not as configured (configuredBoundaryDoor): the console's
   * own origin for runs this console's runners work, whose network namespace forwards the
   * console's port and the egress proxy's only (lib/runner/launch.ts).
   */
  door?: BoundaryDoor;
}

/** The boundary's door as this console is configured: CONSOLE_BOUNDARY_URL and CONSOLE_BOUNDARY_PORT. */
export function configuredBoundaryDoor(): BoundaryDoor {
  return { url: settings().CONSOLE_BOUNDARY_URL ?? null, port: settings().CONSOLE_BOUNDARY_PORT };
}

/** The console's own origin and port: no door elsewhere. */
export const CONSOLE_DOOR: BoundaryDoor = { url: null, port: 0 };

/** Settings that keep Claude Code from calling home around the credential boundary (bootstrap, metrics, event logging). */
const OFFLINE_ENV = { CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1" } as const;

/**
 * Issues the runtime's harness settings for a ready session: a fresh placeholder (earlier ones of
 * the session are revoked) and either the boundary URL or the egress proxy with its CA. A session
 * that is not ready gets a 409 carrying the failing diagnostics, so the runtime's operator sees what to fix.
 */
export async function issueRuntimeSettings(
  sessionId: string,
  publicOrigin: string,
  context: RequestContext,
  request: RuntimeRequest,
): Promise<RuntimeSettings> {
  if (context.actor.kind !== "api_key") throw new ConsoleError("permission_error", "Runtime settings are fetched with a runtime API key only");
  const apiKeyId = context.actor.id;
  // The scope first: a key for other sessions learns nothing about this one, not even whether it
  // exists. A key scoped to session ids is refused for any other id without a lookup; an
  // environment-scoped key gets the same 403 for a missing session as for another environment's.
  const { scope } = await activeRuntimeKey(db(), apiKeyId);
  const session = scopeMayCover(scope, sessionId) ? await db().agentSession.findUnique({ where: { id: sessionId } }) : null;
  authorizeRuntimeSession(scope, sessionId, session);
  if (!session) throw notFound("Session", sessionId);
  const diagnostics = await getSessionDiagnostics(sessionId);
  if (session.archivedAt) throw conflict(`Session ${sessionId} is archived; archived sessions get no runtime settings`);
  if (!diagnostics.ready) {
    const failing = serializeDiagnostics(diagnostics).checks.filter((check) => !check.ok);
    throw new ConsoleError("conflict_error", `Session ${sessionId} is not ready: ${failing.map((check) => `${check.code} (${check.fix})`).join("; ")}`, {
      details: { error_code: "session_not_ready", diagnostics: failing },
    });
  }
  const egressPort = settings().CONSOLE_EGRESS_PORT;
  if (request.mode === "egress" && egressPort === 0) {
    throw new ConsoleError(
      "conflict_error",
      "This console runs no egress proxy (CONSOLE_EGRESS_PORT=0); ask for mode boundary, or have an operator set CONSOLE_EGRESS_PORT",
      {
        details: { error_code: "egress_disabled" },
      },
    );
  }

  const placeholder = await transaction(async (tx) => {
    // Serializes concurrent fetches for one session, so exactly one placeholder stays live.
    await tx.$queryRaw`SELECT id FROM sessions WHERE id = ${sessionId} FOR UPDATE`;
    // Again under the key's share lock: a revoke that committed meanwhile is seen, one that comes
    // later waits and revokes this placeholder with the key.
    const key = await activeRuntimeKey(tx, apiKeyId);
    authorizeRuntimeSession(key.scope, sessionId, session);
    return issuePlaceholderIn(tx, { sessionId, apiKeyId, expiresAt: key.expiresAt }, context, request.mode);
  });
  return settingsWithPlaceholder(sessionId, placeholder, publicOrigin, request);
}

/**
 * Issues the session's one live placeholder for a runtime key, revoking the session's earlier ones,
 * and audits it under the key. The caller holds the session's row lock and has checked the key
 * (issueRuntimeSettings above, or a run's claim in the transaction that minted the key).
 */
export async function issuePlaceholderIn(
  tx: Prisma.TransactionClient,
  key: { sessionId: string; apiKeyId: string; expiresAt: Date | null },
  context: RequestContext,
  mode: RuntimeMode,
): Promise<string> {
  const { sessionId, apiKeyId } = key;
  const placeholder = newPlaceholder();
  const now = new Date();
  await tx.runtimeCredential.updateMany({ where: { sessionId, revokedAt: null }, data: { revokedAt: now } });
  const issued = await tx.runtimeCredential.create({
    data: {
      id: newId("rtc"),
      sessionId,
      placeholderHash: hashPlaceholder(placeholder),
      prefix: placeholderPrefix(placeholder),
      createdAt: now,
      apiKeyId,
      expiresAt: key.expiresAt,
    },
  });
  await recordAudit(tx, context, {
    action: "session.runtime_settings",
    resourceType: "session",
    resourceId: sessionId,
    details: { runtime_credential_id: issued.id, prefix: issued.prefix, api_key_id: apiKeyId, mode },
  });
  return placeholder;
}

/**
 * The harness settings around an issued placeholder: the boundary URL, or the egress proxy with its
 * CA. `reach` is the session's as the caller read it moments ago (a run's claim), else read here.
 */
export async function settingsWithPlaceholder(
  sessionId: string,
  placeholder: string,
  publicOrigin: string,
  request: RuntimeRequest,
  reach?: SessionReach,
): Promise<RuntimeSettings> {
  if (request.mode === "boundary") {
    return {
      sessionId,
      engine: SUPPORTED_ENGINE,
      mode: "boundary",
      caCertificate: null,
      caBundle: null,
      env: {
        ANTHROPIC_BASE_URL: boundaryBaseUrl(publicOrigin, sessionId, request.door ?? configuredBoundaryDoor()),
        ANTHROPIC_API_KEY: placeholder,
        ...OFFLINE_ENV,
      },
    };
  }
  const [sessionReach, caCertificate] = await Promise.all([reach ?? readSessionReach(sessionId), egressCaCertificate()]);
  return egressSettings(sessionId, placeholder, sessionReach, caCertificate, {
    host: new URL(publicOrigin).hostname,
    port: settings().CONSOLE_EGRESS_PORT,
    caPath: request.caPath,
  });
}

/** The egress mode's settings: the real endpoints, the proxy with the placeholder as its credentials, one CA path. */
function egressSettings(
  sessionId: string,
  placeholder: string,
  reach: SessionReach,
  caCertificate: string,
  proxyAt: { host: string; port: number; caPath: string },
): RuntimeSettings {
  const plan = egressPlanOf(sessionId, reach);
  const llmVaultId = plan.routes.find((route) => route.source.kind === "llm")?.source.vaultId;
  const vault = reach.vaults.find((link) => link.vault.id === llmVaultId)?.vault;
  const { host, port, caPath } = proxyAt;
  const proxyUrl = new URL(`http://${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:${port}`);
  proxyUrl.username = encodeURIComponent(sessionId);
  proxyUrl.password = encodeURIComponent(placeholder);
  const proxy = proxyUrl.href.replace(/\/$/, "");
  // The runtime's own variables come first, so a credential's secret_name can never shadow one of them.
  const variables = Object.fromEntries(plannedVariables(plan).map(({ name, credentialId }) => [name, variablePlaceholder(placeholder, credentialId)]));
  return {
    sessionId,
    engine: SUPPORTED_ENGINE,
    mode: "egress",
    caCertificate,
    caBundle: egressCaBundle(caCertificate),
    env: {
      ...variables,
      HTTPS_PROXY: proxy,
      HTTP_PROXY: proxy,
      NO_PROXY: "",
      ANTHROPIC_BASE_URL: vault ? (llmEndpointOf(storedMetadata(vault.metadata)) ?? DEFAULT_LLM_BASE_URL) : DEFAULT_LLM_BASE_URL,
      ANTHROPIC_API_KEY: placeholder,
      NODE_EXTRA_CA_CERTS: caPath,
      SSL_CERT_FILE: caPath,
      REQUESTS_CA_BUNDLE: caPath,
      GIT_SSL_CAINFO: caPath,
      ...OFFLINE_ENV,
    },
  };
}

/** The runtime key must still be active (SPEC §7). */
async function activeRuntimeKey(client: Prisma.TransactionClient, apiKeyId: string): Promise<{ scope: RuntimeKeyScope; expiresAt: Date | null }> {
  const key = await readActiveRuntimeKey(client, apiKeyId);
  if (!key) throw new ConsoleError("authentication_error", "Invalid API key: it is unknown, revoked or expired");
  return key;
}
