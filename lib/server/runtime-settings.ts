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
import { SUPPORTED_ENGINE } from "@/lib/validation/reserved-metadata";
import { boundaryBaseUrl, hashPlaceholder, newPlaceholder, placeholderPrefix } from "@/lib/boundary/placeholders";

/**
 * Issues the runtime's harness settings for a ready session: a fresh placeholder (earlier ones of
 * the session are revoked) and the boundary URL. A session that is not ready gets a 409 carrying
 * the failing diagnostics, so the runtime's operator sees what to fix.
 */
export async function issueRuntimeSettings(sessionId: string, publicOrigin: string, context: RequestContext): Promise<RuntimeSettings> {
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

  const placeholder = newPlaceholder();
  await transaction(async (tx) => {
    // Serializes concurrent fetches for one session, so exactly one placeholder stays live.
    await tx.$queryRaw`SELECT id FROM sessions WHERE id = ${sessionId} FOR UPDATE`;
    // Again under the key's share lock: a revoke that committed meanwhile is seen, one that comes
    // later waits and revokes this placeholder with the key.
    const key = await activeRuntimeKey(tx, apiKeyId);
    authorizeRuntimeSession(key.scope, sessionId, session);
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
      details: { runtime_credential_id: issued.id, prefix: issued.prefix, api_key_id: apiKeyId },
    });
  });
  const baseUrl = boundaryBaseUrl(publicOrigin, sessionId);
  return {
    sessionId,
    engine: SUPPORTED_ENGINE,
    env: { ANTHROPIC_BASE_URL: baseUrl, ANTHROPIC_API_KEY: placeholder, ANTHROPIC_AUTH_TOKEN: placeholder },
  };
}

/** The runtime key must still be active (SPEC §7). */
async function activeRuntimeKey(client: Prisma.TransactionClient, apiKeyId: string): Promise<{ scope: RuntimeKeyScope; expiresAt: Date | null }> {
  const key = await readActiveRuntimeKey(client, apiKeyId);
  if (!key) throw new ConsoleError("authentication_error", "Invalid API key: it is unknown, revoked or expired");
  return key;
}
