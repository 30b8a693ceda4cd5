import { serializeAgentSnapshot } from "@/lib/serializers/agents";
import { storedAgentSnapshot } from "@/lib/validation/agents";
import { storedMetadata } from "@/lib/validation/common";

/**
 * The summed token counts of the session's model requests (recordEvents keeps them). The contract's
 * `cache_creation` splits cache writes by lifetime, which the runner's usage does not tell, so it
 * is left out rather than guessed.
 */
function sessionUsage(stored: unknown): { input_tokens: number; output_tokens: number; cache_read_input_tokens: number } {
  const usage = stored !== null && typeof stored === "object" && !Array.isArray(stored) ? (stored as Record<string, unknown>) : {};
  const count = (key: string): number => (typeof usage[key] === "number" ? usage[key] : 0);
  return { input_tokens: count("input_tokens"), output_tokens: count("output_tokens"), cache_read_input_tokens: count("cache_read_input_tokens") };
}

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
  usage: unknown;
  activeSeconds: number;
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
    usage: sessionUsage(session.usage),
    stats: { active_seconds: session.activeSeconds, duration_seconds: Math.max(0, Math.floor((endedAt.getTime() - session.createdAt.getTime()) / 1000)) },
    budget: null,
    outcome_evaluations: [] as never[],
    created_at: session.createdAt.toISOString(),
    updated_at: session.updatedAt.toISOString(),
    archived_at: session.archivedAt?.toISOString() ?? null,
  };
}

export type SessionObject = ReturnType<typeof serializeSession>;
