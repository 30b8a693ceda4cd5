// The built-in toolset's names and the policy a runner follows, free of zod so the agent form in the
// browser can use them; the schemas (lib/validation/agent-tools.ts, lib/runner/protocol.ts) import
// them from here and re-export them.
import type { AgentToolset } from "@/lib/validation/agent-tools";

/** The built-in tools of the contract's `agent_toolset_20260401`, as an agent names them. */
export const AGENT_TOOL_NAMES = ["bash", "edit", "read", "write", "glob", "grep", "web_fetch", "web_search"] as const;
export type AgentToolName = (typeof AGENT_TOOL_NAMES)[number];

export const AGENT_TOOLSET_TYPE = "agent_toolset_20260401";

export const PERMISSION_POLICY_TYPES = ["always_ask", "always_allow"] as const;
export type PermissionPolicyType = (typeof PERMISSION_POLICY_TYPES)[number];

/** Per built-in tool: whether it may run, and whether it asks first (the shape lib/runner/protocol.ts's schema checks). */
export type ToolPolicy = Record<AgentToolName, { enabled: boolean; permission: PermissionPolicyType }>;

/** What a tool gets when neither default_config nor a per-tool config says otherwise (SPEC §7a: the default asks). */
export const DEFAULT_TOOL_SETTING = { enabled: true, permission: "always_ask" } as const satisfies ToolPolicy[AgentToolName];

/**
 * The policy a runner follows: every built-in tool enabled and asking, then the toolset's
 * default_config, then its per-tool configs. An agent without a toolset gets the defaults, so a
 * session of an agent made before tools could be set still asks before each tool.
 */
export function toolPolicyOfTools(tools: readonly AgentToolset[]): ToolPolicy {
  const toolset = tools.find((tool) => tool.type === AGENT_TOOLSET_TYPE);
  const policy = {} as ToolPolicy;
  for (const name of AGENT_TOOL_NAMES) {
    const config = toolset?.configs.find((candidate) => candidate.name === name);
    const setting = config ?? toolset?.default_config;
    policy[name] = setting
      ? { enabled: setting.enabled, permission: setting.permission_policy.type }
      : { enabled: DEFAULT_TOOL_SETTING.enabled, permission: DEFAULT_TOOL_SETTING.permission };
  }
  return policy;
}
