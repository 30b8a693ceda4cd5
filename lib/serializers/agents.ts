import { storedModel } from "@/lib/validation/agents";
import { storedMetadata } from "@/lib/validation/common";

/** The `agent` of a session: the agent as it was at one version, without its lifecycle fields. */
export function serializeAgentSnapshot(agent: {
  id: string;
  version: number;
  name: string;
  description: string | null;
  model: unknown;
  system: string | null;
}) {
  return {
    type: "agent" as const,
    id: agent.id,
    version: agent.version,
    name: agent.name,
    description: agent.description,
    model: storedModel(agent.model),
    system: agent.system,
    tools: [] as never[],
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
