import { serializeAgentSnapshot } from "@/lib/serializers/agents";
import { storedAgentSnapshot } from "@/lib/validation/agents";
import { storedMetadata } from "@/lib/validation/common";

export function serializeSession(session: {
  id: string;
  title: string | null;
  status: string;
  metadata: unknown;
  agentSnapshot: unknown;
  environmentId: string;
  vaults: { vaultId: string; position: number }[];
  createdAt: Date;
  updatedAt: Date;
  archivedAt: Date | null;
}) {
  const agent = storedAgentSnapshot(session.agentSnapshot);
  const endedAt = session.archivedAt ?? new Date();
  return {
    type: "session" as const,
    id: session.id,
    status: session.status,
    title: session.title,
    metadata: storedMetadata(session.metadata),
    agent: serializeAgentSnapshot(agent),
    environment_id: session.environmentId,
    vault_ids: [...session.vaults].sort((a, b) => a.position - b.position).map((vault) => vault.vaultId),
    resources: [] as never[],
    // This console runs no agent loop, so a session has used nothing yet.
    usage: { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0 },
    stats: { active_seconds: 0, duration_seconds: Math.max(0, Math.floor((endedAt.getTime() - session.createdAt.getTime()) / 1000)) },
    budget: null,
    outcome_evaluations: [] as never[],
    created_at: session.createdAt.toISOString(),
    updated_at: session.updatedAt.toISOString(),
    archived_at: session.archivedAt?.toISOString() ?? null,
  };
}

export type SessionObject = ReturnType<typeof serializeSession>;
