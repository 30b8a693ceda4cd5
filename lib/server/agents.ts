import "server-only";
import type { Agent, AgentVersion, Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/instances";
import { conflict, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { recordAudit, type RequestContext } from "@/lib/server/audit";
import { keysetPageArgs, nameContaining, pageOf, type KeysetPage } from "@/lib/server/keyset-pages";
import { transaction } from "@/lib/server/transaction";
import { storedAgentSnapshot, type AgentCreateInput, type AgentUpdateInput } from "@/lib/validation/agents";
import { patchStoredMetadata } from "@/lib/validation/common";
import { decodeCursor, encodeCursor, type CreatedAtRange, type ListOptions } from "@/lib/validation/pagination";
import { serializeAgent, serializeAgentSnapshot, type AgentSnapshotObject } from "@/lib/serializers/agents";

const CURSOR_SCOPE = "agents";

/** Written in the transaction that makes the version, so every version an agent had can be read back. */
async function recordVersion(tx: Prisma.TransactionClient, agent: Agent): Promise<void> {
  await tx.agentVersion.create({
    data: {
      agentId: agent.id,
      version: agent.version,
      snapshot: serializeAgentSnapshot(agent),
      metadata: agent.metadata ?? {},
      createdAt: agent.updatedAt,
    },
  });
}

export async function createAgent(input: AgentCreateInput, context: RequestContext): Promise<Agent> {
  return transaction(async (tx) => {
    const agent = await tx.agent.create({
      data: {
        id: newId("agent"),
        name: input.name,
        model: input.model,
        system: input.system ?? null,
        description: input.description ?? null,
        tools: input.tools ?? [],
        metadata: input.metadata ?? {},
      },
    });
    await recordVersion(tx, agent);
    await recordAudit(tx, context, { action: "agent.create", resourceType: "agent", resourceId: agent.id, details: { version: 1 } });
    return agent;
  });
}

export async function getAgent(agentId: string): Promise<Agent> {
  const agent = await db().agent.findUnique({ where: { id: agentId } });
  if (!agent) throw notFound("Agent", agentId);
  return agent;
}

async function findAgentVersion(client: Prisma.TransactionClient, agentId: string, version: number): Promise<AgentVersion> {
  const stored = await client.agentVersion.findUnique({ where: { agentId_version: { agentId, version } } });
  if (!stored) throw notFound("Agent version", `${agentId}@${version}`);
  return stored;
}

/** An agent and one of its versions (`GET /v1/agents/{id}?version=N`); 404 names the version when it never existed. */
export async function getAgentVersion(agentId: string, version: number): Promise<{ agent: Agent; stored: AgentVersion }> {
  const agent = await getAgent(agentId);
  return { agent, stored: await findAgentVersion(db(), agentId, version) };
}

/** Agents newest first; `nameContains` (case-insensitive) is the console's search. */
export async function listAgents(options: ListOptions, createdAt: CreatedAtRange = {}, nameContains?: string): Promise<KeysetPage<Agent>> {
  const page = keysetPageArgs(options, CURSOR_SCOPE);
  const rows = await db().agent.findMany({ ...page, where: { AND: [page.where, { createdAt }, { name: nameContaining(nameContains) }] } });
  return pageOf(rows, options.limit, CURSOR_SCOPE);
}

/**
 * An agent's versions, newest first. The cursor holds the last version number seen, and its scope
 * names the agent, so one agent's cursor is refused on another's list.
 */
export async function listAgentVersions(
  agentId: string,
  options: Pick<ListOptions, "limit" | "page">,
): Promise<{ agent: Agent; page: KeysetPage<AgentVersion> }> {
  const agent = await getAgent(agentId);
  const scope = `agent_versions.${agentId}`;
  const below = options.page === undefined ? undefined : decodeCursor(scope, options.page).seq;
  const rows = await db().agentVersion.findMany({
    where: { agentId, ...(below === undefined ? {} : { version: { lt: Number(below) } }) },
    orderBy: { version: "desc" },
    take: options.limit + 1,
  });
  const items = rows.slice(0, options.limit);
  const last = items[items.length - 1];
  const nextPage = rows.length > options.limit && last ? encodeCursor(scope, { createdAt: last.createdAt, seq: BigInt(last.version) }) : null;
  return { agent, page: { items, nextPage } };
}

async function lockAgent(tx: Prisma.TransactionClient, agentId: string): Promise<Agent> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM agents WHERE id = ${agentId} FOR UPDATE`;
  const agent = locked.length > 0 ? await tx.agent.findUnique({ where: { id: agentId } }) : null;
  if (!agent) throw notFound("Agent", agentId);
  return agent;
}

/** An update that changes anything makes a new version; sessions keep the version they started with. */
export async function updateAgent(agentId: string, input: AgentUpdateInput, context: RequestContext): Promise<Agent> {
  return transaction(async (tx) => {
    const agent = await lockAgent(tx, agentId);
    if (agent.archivedAt) throw conflict(`Agent ${agentId} is archived; archived agents are read-only`);
    if (input.version !== undefined && input.version !== agent.version) {
      throw conflict(`Agent ${agentId} is at version ${agent.version}, not ${input.version}; retrieve it and apply your change again`);
    }
    const metadata = patchStoredMetadata(agent.metadata, input.metadata);

    const before = serializeAgent(agent);
    const next = {
      name: input.name ?? agent.name,
      model: input.model ?? before.model,
      system: input.system === undefined ? agent.system : input.system,
      description: input.description === undefined ? agent.description : input.description,
      // A full replacement (null clears), as the contract has it.
      tools: input.tools === undefined ? before.tools : (input.tools ?? []),
      metadata,
    };
    const changed =
      next.name !== before.name ||
      JSON.stringify(next.model) !== JSON.stringify(before.model) ||
      next.system !== before.system ||
      next.description !== before.description ||
      JSON.stringify(next.tools) !== JSON.stringify(before.tools) ||
      JSON.stringify(next.metadata) !== JSON.stringify(before.metadata);
    if (!changed) return agent;

    const updated = await tx.agent.update({
      where: { id: agentId },
      data: { ...next, version: agent.version + 1, updatedAt: new Date() },
    });
    await recordVersion(tx, updated);
    await recordAudit(tx, context, {
      action: "agent.update",
      resourceType: "agent",
      resourceId: agentId,
      details: { version: updated.version },
    });
    return updated;
  });
}

export async function archiveAgent(agentId: string, context: RequestContext): Promise<Agent> {
  return transaction(async (tx) => {
    const agent = await lockAgent(tx, agentId);
    if (agent.archivedAt) return agent;
    const archived = await tx.agent.update({ where: { id: agentId }, data: { archivedAt: new Date(), updatedAt: new Date() } });
    await recordAudit(tx, context, { action: "agent.archive", resourceType: "agent", resourceId: agentId });
    return archived;
  });
}

/**
 * The agent a new session runs: the latest version, or the one asked for. An archived agent starts
 * no new sessions (SPEC §5).
 */
export async function resolveAgentForSession(
  tx: Prisma.TransactionClient,
  reference: { id: string; version?: number },
): Promise<{ agentId: string; version: number; snapshot: AgentSnapshotObject }> {
  const agent = await tx.agent.findUnique({ where: { id: reference.id } });
  if (!agent) throw notFound("Agent", reference.id);
  if (agent.archivedAt) throw conflict(`Agent ${reference.id} is archived; archived agents start no new sessions`);
  const version = reference.version ?? agent.version;
  const stored = await findAgentVersion(tx, agent.id, version);
  return { agentId: agent.id, version, snapshot: serializeAgentSnapshot(storedAgentSnapshot(stored.snapshot)) };
}
