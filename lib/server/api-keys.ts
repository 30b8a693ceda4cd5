import type { ApiKey, ApiKeyRole } from "@/lib/generated/prisma/client";
import { apiKeyDisplayPrefix, generateApiKey, hashApiKey } from "@/lib/crypto/api-keys";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { recordAudit, type RequestContext } from "@/lib/server/audit";
import { transaction } from "@/lib/server/transaction";

// No `server-only` marker here: scripts/start.ts (plain Node, outside Next) creates the first key.

export interface CreatedApiKey {
  apiKey: ApiKey;
  /** The plaintext key. It exists only in this return value: show it once, never store it. */
  key: string;
}

export async function createApiKey(
  input: { name: string; role: ApiKeyRole; expiresAt?: Date | null; key?: string },
  context: RequestContext,
): Promise<CreatedApiKey> {
  const key = input.key ?? generateApiKey();
  const apiKey = await transaction(async (tx) => {
    const created = await tx.apiKey.create({
      data: {
        id: newId("key"),
        name: input.name,
        role: input.role,
        prefix: apiKeyDisplayPrefix(key),
        hash: hashApiKey(key),
        expiresAt: input.expiresAt ?? null,
      },
    });
    await recordAudit(tx, context, {
      action: "api_key.create",
      resourceType: "api_key",
      resourceId: created.id,
      details: { name: created.name, role: created.role, prefix: created.prefix },
    });
    return created;
  });
  return { apiKey, key };
}

/**
 * Creates the first owner key when the console has none. The advisory lock makes two processes
 * starting together on one PostgreSQL agree on a single bootstrap key.
 */
export async function ensureOwnerApiKey(presetKey: string | undefined): Promise<CreatedApiKey | null> {
  return transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(727001)`;
    if ((await tx.apiKey.count()) > 0) return null;
    const key = presetKey ?? generateApiKey();
    const apiKey = await tx.apiKey.create({
      data: { id: newId("key"), name: "Bootstrap owner key", role: "owner", prefix: apiKeyDisplayPrefix(key), hash: hashApiKey(key) },
    });
    await recordAudit(tx, { actor: { kind: "system" } }, {
      action: "api_key.create",
      resourceType: "api_key",
      resourceId: apiKey.id,
      details: { name: apiKey.name, role: apiKey.role, prefix: apiKey.prefix, bootstrap: true },
    });
    return { apiKey, key };
  });
}

/** Newest first; revoked keys included (the list shows when each was revoked). */
export async function listApiKeys(): Promise<ApiKey[]> {
  return db().apiKey.findMany({ orderBy: { createdAt: "desc" } });
}

/** Revoking is final: the key stops authenticating at once and cannot be restored. */
export async function revokeApiKey(apiKeyId: string, context: RequestContext): Promise<ApiKey> {
  return transaction(async (tx) => {
    const apiKey = await tx.apiKey.findUnique({ where: { id: apiKeyId } });
    if (!apiKey) throw notFound("API key", apiKeyId);
    if (apiKey.revokedAt) return apiKey;
    const revoked = await tx.apiKey.update({ where: { id: apiKeyId }, data: { revokedAt: new Date() } });
    await recordAudit(tx, context, {
      action: "api_key.revoke",
      resourceType: "api_key",
      resourceId: apiKeyId,
      details: { name: apiKey.name, prefix: apiKey.prefix, role: apiKey.role },
    });
    return revoked;
  });
}
