import { describe, expect, it } from "vitest";
import { toolPolicyOf } from "@/lib/server/agent-tools";
import { serializeAgentSnapshot } from "@/lib/serializers/agents";
import { agentToolsSchema } from "@/lib/validation/agent-tools";

/** A session's agent snapshot as sessions store it (the serializer's output, written as JSON). */
function snapshotWith(tools: unknown): unknown {
  const snapshot = serializeAgentSnapshot({ id: "agent_x", version: 3, name: "n", description: null, model: { id: "claude-sonnet-4-6" }, system: null, tools });
  return JSON.parse(JSON.stringify(snapshot));
}

describe("toolPolicyOf", () => {
  it("reads the policy from a session's agent snapshot", () => {
    const tools = agentToolsSchema.parse([
      {
        type: "agent_toolset_20260401",
        default_config: { permission_policy: { type: "always_allow" } },
        configs: [{ name: "bash", permission_policy: { type: "always_ask" } }],
      },
    ]);
    const policy = toolPolicyOf(snapshotWith(tools));
    expect(policy.bash).toEqual({ enabled: true, permission: "always_ask" });
    expect(policy.grep).toEqual({ enabled: true, permission: "always_allow" });
  });

  it("asks before every tool for a snapshot taken before agents had tools", () => {
    // Those snapshots hold `tools: []`: the serializer wrote an empty list before tools could be set.
    const policy = toolPolicyOf(snapshotWith([]));
    expect(Object.values(policy)).toHaveLength(8);
    for (const setting of Object.values(policy)) expect(setting).toEqual({ enabled: true, permission: "always_ask" });
  });
});
