import "server-only";
import { Prisma, type AgentSession, type SessionVault } from "@/lib/generated/prisma/client";
import { db } from "@/lib/instances";
import { ConsoleError, conflict, invalidField, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { resolveAgentForSession } from "@/lib/server/agents";
import { recordAudit, type RequestContext } from "@/lib/server/audit";
import { lockEnvironment } from "@/lib/server/environments";
import { keysetOrder, keysetPast, NOT_ARCHIVED } from "@/lib/server/keyset-pages";
import { SESSION_EVENTS_CHANNEL } from "@/lib/server/record-events";
import { endSessionRest } from "@/lib/server/run-lifecycle";
import { transaction } from "@/lib/server/transaction";
import { patchStoredMetadata } from "@/lib/validation/common";
import { createdAtRange, decodeDirectedCursor, encodeDirectedCursor, LIST_LIMIT_DEFAULT } from "@/lib/validation/pagination";
import { MULTIPLE_LLM_VAULTS_MESSAGE, type SessionCreateInput, type SessionListQuery, type SessionUpdateInput } from "@/lib/validation/sessions";

export type SessionWithVaults = AgentSession & { vaults: SessionVault[] };

interface AttachableVault {
  id: string;
  kind: "llm" | "credential" | null;
}

/**
 * Checks `vault_ids` (SPEC §5): each vault exists (404) and is not archived (409), and at most one
 * is an LLM vault (400). The vault rows stay share-locked until commit, so a concurrent archive or
 * delete of one of them waits and then sees this session's reference.
 */
async function lockVaultsForAttachment(tx: Prisma.TransactionClient, vaultIds: string[]): Promise<AttachableVault[]> {
  if (vaultIds.length === 0) return [];
  const rows = await tx.$queryRaw<{ id: string; kind: "llm" | "credential" | null; archived_at: Date | null }[]>`
    SELECT id, role::text AS kind, archived_at FROM vaults WHERE id IN (${Prisma.join(vaultIds)}) ORDER BY id FOR SHARE`;
  const byId = new Map(rows.map((row) => [row.id, row]));
  const vaults = vaultIds.map((vaultId, index) => {
    const row = byId.get(vaultId);
    if (!row) {
      throw new ConsoleError("not_found_error", `vault_ids[${index}]: vault ${JSON.stringify(vaultId)} was not found`, {
        field: `vault_ids[${index}]`,
      });
    }
    if (row.archived_at) throw conflict(`vault_ids[${index}]: vault ${vaultId} is archived and cannot be attached to a session`);
    return { id: row.id, kind: row.kind };
  });
  const llmVaults = vaults.filter((vault) => vault.kind === "llm");
  if (llmVaults.length > 1) {
    throw invalidField("vault_ids", `${MULTIPLE_LLM_VAULTS_MESSAGE} (got ${llmVaults.map((vault) => vault.id).join(", ")})`);
  }
  return vaults;
}

function attachments(vaults: AttachableVault[]) {
  return vaults.map((vault, position) => ({ vaultId: vault.id, position, llmSlot: vault.kind === "llm" ? true : null }));
}

export async function createSession(input: SessionCreateInput, context: RequestContext): Promise<SessionWithVaults> {
  return transaction(async (tx) => {
    const agent = await resolveAgentForSession(tx, input.agent);
    const environment = await lockEnvironment(tx, input.environment_id, "share");
    if (environment.archivedAt) throw conflict(`Environment ${environment.id} is archived; archived environments start no new sessions`);
    const vaults = await lockVaultsForAttachment(tx, input.vault_ids ?? []);
    const session = await tx.agentSession.create({
      data: {
        id: newId("sesn"),
        title: input.title ?? null,
        metadata: input.metadata ?? {},
        agentId: agent.agentId,
        agentVersion: agent.version,
        agentSnapshot: agent.snapshot,
        environmentId: environment.id,
        vaults: { create: attachments(vaults) },
      },
      include: { vaults: true },
    });
    await recordAudit(tx, context, {
      action: "session.create",
      resourceType: "session",
      resourceId: session.id,
      details: { agent_id: agent.agentId, agent_version: agent.version, vault_ids: vaults.map((vault) => vault.id) },
    });
    return session;
  });
}

export async function getSession(sessionId: string): Promise<SessionWithVaults> {
  const session = await db().agentSession.findUnique({ where: { id: sessionId }, include: { vaults: true } });
  if (!session) throw notFound("Session", sessionId);
  return session;
}

async function lockSession(tx: Prisma.TransactionClient, sessionId: string): Promise<AgentSession> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM sessions WHERE id = ${sessionId} FOR UPDATE`;
  const session = locked.length > 0 ? await tx.agentSession.findUnique({ where: { id: sessionId } }) : null;
  if (!session) throw notFound("Session", sessionId);
  return session;
}

/** Updates title, metadata and — a console extension — replaces `vault_ids` under the create rules. */
export async function updateSession(sessionId: string, input: SessionUpdateInput, context: RequestContext): Promise<SessionWithVaults> {
  return transaction(async (tx) => {
    const session = await lockSession(tx, sessionId);
    if (session.archivedAt) throw conflict(`Session ${sessionId} is archived; archived sessions are read-only`);
    const metadata = patchStoredMetadata(session.metadata, input.metadata);

    if (input.vault_ids !== undefined) {
      const vaults = await lockVaultsForAttachment(tx, input.vault_ids);
      await tx.sessionVault.deleteMany({ where: { sessionId } });
      await tx.sessionVault.createMany({ data: attachments(vaults).map((attachment) => ({ sessionId, ...attachment })) });
    }
    const updated = await tx.agentSession.update({
      where: { id: sessionId },
      data: { title: input.title === undefined ? session.title : input.title, metadata, updatedAt: new Date() },
      include: { vaults: true },
    });
    await recordAudit(tx, context, {
      action: "session.update",
      resourceType: "session",
      resourceId: sessionId,
      details: { vault_ids: input.vault_ids ?? null, metadata_keys_changed: Object.keys(input.metadata ?? {}) },
    });
    return updated;
  });
}

export async function archiveSession(sessionId: string, context: RequestContext): Promise<SessionWithVaults> {
  return transaction(async (tx) => {
    const session = await lockSession(tx, sessionId);
    if (!session.archivedAt) {
      const now = new Date();
      await tx.agentSession.update({ where: { id: sessionId }, data: { archivedAt: now, updatedAt: now } });
      await endSessionRest(tx, session.id, now);
      await recordAudit(tx, context, { action: "session.archive", resourceType: "session", resourceId: sessionId });
    }
    return tx.agentSession.findUniqueOrThrow({ where: { id: sessionId }, include: { vaults: true } });
  });
}

export async function deleteSession(sessionId: string, context: RequestContext): Promise<void> {
  await transaction(async (tx) => {
    await lockSession(tx, sessionId);
    await tx.agentSession.delete({ where: { id: sessionId } });
    await recordAudit(tx, context, { action: "session.delete", resourceType: "session", resourceId: sessionId });
    // Open event streams of the session hear of it at once and end (see subscribeSessionEvents).
    await tx.$executeRaw`SELECT pg_notify(${SESSION_EVENTS_CHANNEL}, ${sessionId})`;
  });
}

export interface SessionPage {
  items: SessionWithVaults[];
  nextPage: string | null;
  prevPage: string | null;
}

/**
 * Keyset pages in either order and either direction: a `next` cursor continues past the last row,
 * a `prev` cursor returns the rows just before the first one, so page 1,000 costs what page 1 does.
 */
export async function listSessions(query: SessionListQuery): Promise<SessionPage> {
  const limit = query.limit ?? LIST_LIMIT_DEFAULT;
  const order = query.order ?? "desc";
  const scope = `sessions.${order}`;
  const cursor = query.page === undefined ? undefined : decodeDirectedCursor(scope, query.page);
  const forward = cursor?.direction !== "prev";
  const scan = (order === "desc") === forward ? "desc" : "asc";
  const createdAt = createdAtRange(query);

  const rows = await db().agentSession.findMany({
    where: {
      AND: [
        {
          ...(query.include_archived ? {} : NOT_ARCHIVED),
          ...(query.agent_id ? { agentId: query.agent_id } : {}),
          ...(query.agent_version ? { agentVersion: query.agent_version } : {}),
          ...(query["statuses[]"] ? { status: { in: query["statuses[]"] } } : {}),
          createdAt,
        },
        cursor ? keysetPast(cursor.position, scan) : {},
      ],
    },
    orderBy: keysetOrder(scan),
    take: limit + 1,
    include: { vaults: true },
  });
  const hasMore = rows.length > limit;
  const items = rows.slice(0, limit);
  if (!forward) items.reverse();
  const first = items[0];
  const last = items[items.length - 1];
  const nextPage = last && (forward ? hasMore : true) ? encodeDirectedCursor(scope, "next", last) : null;
  const prevPage = first && (forward ? cursor !== undefined : hasMore) ? encodeDirectedCursor(scope, "prev", first) : null;
  return { items, nextPage, prevPage };
}
