import { storedAgentTools } from "@/lib/validation/agent-tools";
import { storedAgentSnapshot, storedModel } from "@/lib/validation/agents";
import { storedMetadata } from "@/lib/validation/common";

/** The `agent` of a session: the agent as it was at one version, without its lifecycle fields. */
export function serializeAgentSnapshot(agent: {
  id: string;
  version: number;
  name: string;
  description: string | null;
  model: unknown;
  system: string | null;
  tools: unknown;
}) {
  return {
    type: "agent" as const,
    id: agent.id,
    version: agent.version,
    name: agent.name,
    description: agent.description,
    model: storedModel(agent.model),
    system: agent.system,
    tools: storedAgentTools(agent.tools),
    mcp_servers: [] as never[],
    skills: [] as never[],
    multiagent: null,
  };
}

export type AgentSnapshotObject = ReturnType<typeof serializeAgentSnapshot>;

/** The API's agent object: the snapshot fields plus metadata and lifecycle. */
export function serializeAgent(agent: {
  id: string;
  name: string;
  description: string | null;
  system: string | null;
  model: unknown;
  tools: unknown;
  metadata: unknown;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  archivedAt: Date | null;
}) {
  return {
    ...serializeAgentSnapshot(agent),
    metadata: storedMetadata(agent.metadata),
    created_at: agent.createdAt.toISOString(),
    updated_at: agent.updatedAt.toISOString(),
    archived_at: agent.archivedAt?.toISOString() ?? null,
  };
}

export type AgentObject = ReturnType<typeof serializeAgent>;

/**
 * The agent object as it was at one stored version: that version's fields and metadata, the
 * agent's `created_at` and `archived_at`, and `updated_at` when the version was made. The latest
 * version is the agent itself, so `?version=<latest>` answers what a plain retrieve does.
 */
export function serializeAgentVersion(
  agent: Parameters<typeof serializeAgent>[0],
  stored: { version: number; snapshot: unknown; metadata: unknown; createdAt: Date },
): AgentObject {
  if (stored.version === agent.version) return serializeAgent(agent);
  const { name, description, system, model, tools } = storedAgentSnapshot(stored.snapshot);
  return serializeAgent({ ...agent, name, description, system, model, tools, metadata: stored.metadata, version: stored.version, updatedAt: stored.createdAt });
}
