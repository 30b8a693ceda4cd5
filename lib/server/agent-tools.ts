import type { ToolPolicy } from "@/lib/runner/protocol";
import { toolPolicyOfTools } from "@/lib/validation/agent-tools";
import { storedAgentSnapshot } from "@/lib/validation/agents";

/**
 * The tool policy of a session's agent, for the run's claim: read from the session's agent snapshot
 * (`agentSnapshot`), so a session keeps the tools of the version it started with.
 */
export function toolPolicyOf(agentSnapshot: unknown): ToolPolicy {
  return toolPolicyOfTools(storedAgentSnapshot(agentSnapshot).tools);
}
