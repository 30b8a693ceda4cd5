import { Prisma, type ApiKey, type ApiKeyRole } from "@/lib/generated/prisma/client";
import { runtimeKeyScopeOf, type RuntimeKeyScope } from "@/lib/auth/runtime-key-scope";
import { apiKeyDisplayPrefix, generateApiKey, hashApiKey } from "@/lib/crypto/api-keys";
import { db } from "@/lib/instances";
import { ConsoleError, invalidField, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { recordAudit, type RequestContext } from "@/lib/server/audit";
import { transaction } from "@/lib/server/transaction";
import { forgetApiKeys } from "@/lib/server/api-key-memory";

// No `server-only` marker here: scripts/start.ts (plain Node, outside Next) creates the first key.

/** A key with its scope's sessions (in the order given), as lists and the API show it. */
export type ApiKeyWithScope = ApiKey & { scopeSessionIds: string[] };

export interface CreatedApiKey {
  apiKey: ApiKeyWithScope;
  /** The plaintext key. It exists only in this return value: show it once, never store it. */
  key: string;
}

/** What a new runtime key may fetch runtime settings for (SPEC §7); other roles take none. */
export type ApiKeyScopeInput = { sessionIds: string[] } | { environmentId: string } | null;

const WITH_SCOPE = { scopeSessions: { select: { sessionId: true }, orderBy: { position: "asc" } } } as const;

function withScope(row: ApiKey & { scopeSessions: { sessionId: string }[] }): ApiKeyWithScope {
  const { scopeSessions, ...apiKey } = row;
  return { ...apiKey, scopeSessionIds: scopeSessions.map((entry) => entry.sessionId) };
}

/** The user or key that made a key, from the caller (the bootstrap has neither). */
function creatorOf(context: RequestContext): { createdByUserId: string | null; createdByApiKeyId: string | null } {
  return {
    createdByUserId: context.actor.kind === "user" ? context.actor.id : null,
    createdByApiKeyId: context.actor.kind === "api_key" ? context.actor.id : null,
  };
}

/**
 * The scope's sessions or environment must exist. Share-locked until commit, so a concurrent delete
 * waits and then finds (and cascades over) the new key's reference.
 */
async function checkScopeTargets(tx: Prisma.TransactionClient, scope: ApiKeyScopeInput): Promise<void> {
  if (!scope) return;
  if ("environmentId" in scope) {
    const [environment] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM environments WHERE id = ${scope.environmentId} FOR SHARE`;
    if (!environment) {
      throw new ConsoleError("not_found_error", `environment_id: environment ${JSON.stringify(scope.environmentId)} was not found`, {
        field: "environment_id",
      });
    }
    return;
  }
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM sessions WHERE id IN (${Prisma.join(scope.sessionIds)}) ORDER BY id FOR SHARE`;
  const found = new Set(rows.map((row) => row.id));
  scope.sessionIds.forEach((sessionId, index) => {
    if (!found.has(sessionId)) {
      throw new ConsoleError("not_found_error", `session_ids[${index}]: session ${JSON.stringify(sessionId)} was not found`, {
        field: `session_ids[${index}]`,
      });
    }
  });
}

export type NewApiKeyInput = { name: string; role: ApiKeyRole; expiresAt?: Date | null; key?: string; scope?: ApiKeyScopeInput };

export async function createApiKey(input: NewApiKeyInput, context: RequestContext): Promise<CreatedApiKey> {
  return transaction((tx) => createApiKeyIn(tx, input, context));
}

/** createApiKey inside the caller's transaction: a run's claim mints its runtime key with the claim itself. */
export async function createApiKeyIn(tx: Prisma.TransactionClient, input: NewApiKeyInput, context: RequestContext): Promise<CreatedApiKey> {
  const scope = input.scope ?? null;
  // The edges' schemas say the same; this holds for any other caller too.
  if (input.role === "runtime" && !scope) throw invalidField("session_ids", "is required for a runtime key (or send environment_id instead)");
  if (input.role !== "runtime" && scope)
    throw invalidField("environmentId" in scope ? "environment_id" : "session_ids", `is only for runtime keys; ${input.role} keys are not scoped`);
  const key = input.key ?? generateApiKey();
  await checkScopeTargets(tx, scope);
  const created = await tx.apiKey.create({
    data: {
      id: newId("key"),
      name: input.name,
      role: input.role,
      prefix: apiKeyDisplayPrefix(key),
      hash: hashApiKey(key),
      expiresAt: input.expiresAt ?? null,
      ...creatorOf(context),
      environmentId: scope && "environmentId" in scope ? scope.environmentId : null,
    },
  });
  // Its scope in one more INSERT, known without reading it back (a nested create reads both back: two statements more on every run's claim).
  const scopeSessionIds = scope && "sessionIds" in scope ? scope.sessionIds : [];
  if (scopeSessionIds.length > 0) {
    await tx.apiKeySession.createMany({ data: scopeSessionIds.map((sessionId, position) => ({ apiKeyId: created.id, sessionId, position })) });
  }
  await recordAudit(tx, context, {
    action: "api_key.create",
    resourceType: "api_key",
    resourceId: created.id,
    details: {
      name: created.name,
      role: created.role,
      prefix: created.prefix,
      ...(scope ? { scope: "environmentId" in scope ? { environment_id: scope.environmentId } : { session_ids: scope.sessionIds } } : {}),
    },
  });
  return { apiKey: { ...created, scopeSessionIds: [...scopeSessionIds] }, key };
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
    await recordAudit(
      tx,
      { actor: { kind: "system" } },
      {
        action: "api_key.create",
        resourceType: "api_key",
        resourceId: apiKey.id,
        details: { name: apiKey.name, role: apiKey.role, prefix: apiKey.prefix, bootstrap: true },
      },
    );
    return { apiKey: { ...apiKey, scopeSessionIds: [] }, key };
  });
}

/**
 * Newest first; revoked keys included (the list shows when each was revoked). Not the keys the
 * console mints for its own runners, one per run attempt and revoked when it ends: a console that
 * has run ten thousand turns would list ten thousand of them. The session's events and the audit
 * log still name each.
 */
export async function listApiKeys(): Promise<ApiKeyWithScope[]> {
  return (await db().apiKey.findMany({ where: { runs: { none: {} } }, orderBy: { createdAt: "desc" }, include: WITH_SCOPE })).map(withScope);
}

/**
 * Revokes keys and, in the same statement group, every placeholder they obtained: the boundary
 * refuses those from the next call on (the update fires the lookup's change notice). Returns how
 * many placeholders were live.
 */
async function revokeKeysAndPlaceholders(tx: Prisma.TransactionClient, apiKeyIds: string[], now: Date): Promise<number> {
  if (apiKeyIds.length === 0) return 0;
  await tx.apiKey.updateMany({ where: { id: { in: apiKeyIds }, revokedAt: null }, data: { revokedAt: now } });
  // The embedded database's lookups remember keys; it runs this transaction alone, so none reads the old row again.
  forgetApiKeys();
  const placeholders = await tx.runtimeCredential.updateMany({
    where: { apiKeyId: { in: apiKeyIds }, revokedAt: null },
    data: { revokedAt: now },
  });
  return placeholders.count;
}

/**
 * Revoking is final: the key stops authenticating at once and cannot be restored, and the runtime
 * placeholders it obtained stop working at the boundary on their next call.
 */
export async function revokeApiKey(apiKeyId: string, context: RequestContext): Promise<ApiKeyWithScope> {
  return transaction(async (tx) => {
    // The row lock orders this against a runtime-settings fetch with the same key (issueRuntimeSettings
    // share-locks the key): that placeholder is either refused or made before, and revoked here.
    const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM api_keys WHERE id = ${apiKeyId} FOR UPDATE`;
    if (!locked) throw notFound("API key", apiKeyId);
    const apiKey = await tx.apiKey.findUniqueOrThrow({ where: { id: apiKeyId }, include: WITH_SCOPE });
    if (apiKey.revokedAt) return withScope(apiKey);
    const now = new Date();
    const placeholdersRevoked = await revokeKeysAndPlaceholders(tx, [apiKeyId], now);
    await recordAudit(tx, context, {
      action: "api_key.revoke",
      resourceType: "api_key",
      resourceId: apiKeyId,
      details: { name: apiKey.name, prefix: apiKey.prefix, role: apiKey.role, runtime_credentials_revoked: placeholdersRevoked },
    });
    return withScope({ ...apiKey, revokedAt: now });
  });
}

/**
 * Revokes one key and its placeholders inside the caller's transaction, audited with `reason`: a
 * run's key when its attempt ends. A key already revoked (or gone) is left as it is.
 */
export async function revokeApiKeyIn(tx: Prisma.TransactionClient, apiKeyId: string, context: RequestContext, reason: string): Promise<void> {
  // Locked and read in one statement: this runs in every run's finish.
  const [apiKey] = await tx.$queryRaw<{ name: string; prefix: string; role: string; revoked: boolean }[]>`
    SELECT name, prefix, role::text AS role, revoked_at IS NOT NULL AS revoked FROM api_keys WHERE id = ${apiKeyId} FOR UPDATE`;
  if (!apiKey || apiKey.revoked) return;
  const placeholdersRevoked = await revokeKeysAndPlaceholders(tx, [apiKeyId], new Date());
  await recordAudit(tx, context, {
    action: "api_key.revoke",
    resourceType: "api_key",
    resourceId: apiKeyId,
    details: { name: apiKey.name, prefix: apiKey.prefix, role: apiKey.role, reason, runtime_credentials_revoked: placeholdersRevoked },
  });
}

/** A key that disabling its creator would revoke, as the users page lists it. */
export interface KeyRevokedOnDisable {
  userId: string;
  id: string;
  name: string;
  prefix: string;
  role: ApiKeyRole;
}

/**
 * The unrevoked keys each user made, and the keys those keys made, and so on: a key minted with a
 * departing user's admin key is as much theirs as the admin key itself.
 */
async function keysMadeBy(client: Prisma.TransactionClient, userIds: string[]): Promise<KeyRevokedOnDisable[]> {
  if (userIds.length === 0) return [];
  return client.$queryRaw<KeyRevokedOnDisable[]>`
    WITH RECURSIVE made AS (
      SELECT id, created_by_user_id AS user_id FROM api_keys WHERE created_by_user_id IN (${Prisma.join(userIds)})
      UNION
      SELECT k.id, made.user_id FROM api_keys k JOIN made ON k.created_by_api_key_id = made.id
    )
    SELECT made.user_id AS "userId", k.id, k.name, k.prefix, k.role::text AS role
    FROM made JOIN api_keys k ON k.id = made.id
    WHERE k.revoked_at IS NULL
    ORDER BY k.created_at, k.id`;
}

/** For the users page: per user, the keys that disabling them would revoke. */
export async function keysRevokedOnDisable(userIds: string[]): Promise<Map<string, KeyRevokedOnDisable[]>> {
  const byUser = new Map<string, KeyRevokedOnDisable[]>();
  for (const key of await keysMadeBy(db(), userIds)) byUser.set(key.userId, [...(byUser.get(key.userId) ?? []), key]);
  return byUser;
}

/**
 * Part of disabling a user (lib/server/users.ts): revokes every key they made (see keysMadeBy) and
 * those keys' placeholders, in the caller's transaction, with one audit entry per key.
 */
export async function revokeKeysMadeByUser(tx: Prisma.TransactionClient, userId: string, context: RequestContext): Promise<number> {
  const keys = await keysMadeBy(tx, [userId]);
  if (keys.length === 0) return 0;
  const ids = keys.map((key) => key.id);
  await tx.$queryRaw`SELECT id FROM api_keys WHERE id IN (${Prisma.join(ids)}) ORDER BY id FOR UPDATE`;
  const now = new Date();
  const placeholdersRevoked = await revokeKeysAndPlaceholders(tx, ids, now);
  for (const key of keys) {
    await recordAudit(tx, context, {
      action: "api_key.revoke",
      resourceType: "api_key",
      resourceId: key.id,
      details: { name: key.name, prefix: key.prefix, role: key.role, reason: "creator_disabled", user_id: userId },
    });
  }
  if (placeholdersRevoked > 0) {
    await recordAudit(tx, context, {
      action: "runtime_credential.revoke",
      resourceType: "user",
      resourceId: userId,
      details: { reason: "creator_disabled", api_key_ids: ids, runtime_credentials_revoked: placeholdersRevoked },
    });
  }
  return keys.length;
}

/**
 * A key's runtime scope and expiry, or null when it is no longer active (revoked or expired since
 * it authenticated). Inside a transaction the key stays share-locked until commit, so a concurrent
 * revoke waits for the placeholder that transaction issues, then revokes it too.
 */
export async function readActiveRuntimeKey(
  client: Prisma.TransactionClient,
  apiKeyId: string,
): Promise<{ scope: RuntimeKeyScope; expiresAt: Date | null } | null> {
  await client.$queryRaw`SELECT id FROM api_keys WHERE id = ${apiKeyId} FOR SHARE`;
  const key = await client.apiKey.findUnique({ where: { id: apiKeyId }, include: WITH_SCOPE });
  if (!key || key.revokedAt || (key.expiresAt && key.expiresAt.getTime() <= Date.now())) return null;
  return {
    scope: runtimeKeyScopeOf({ environmentId: key.environmentId, sessionIds: withScope(key).scopeSessionIds }),
    expiresAt: key.expiresAt,
  };
}
