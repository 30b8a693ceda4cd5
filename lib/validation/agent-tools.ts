// An agent's `tools` (the contract's BetaManagedAgentsAgentToolParams in, BetaManagedAgentsAgentTool
// out), and the per-tool policy a session's runner follows. Only the built-in toolset is accepted:
// the runner is the Agent SDK with its own built-in tools, so it has nothing to run an MCP toolset
// or a custom tool with.
import { z } from "zod";
import {
  AGENT_TOOL_NAMES,
  AGENT_TOOLSET_TYPE,
  DEFAULT_TOOL_SETTING,
  PERMISSION_POLICY_TYPES,
  toolPolicyOfTools,
  type PermissionPolicyType,
} from "@/lib/validation/agent-toolset";

// The names and the policy live in agent-toolset.ts (zod-free, for the agent form in the browser).
export { AGENT_TOOLSET_TYPE, DEFAULT_TOOL_SETTING, PERMISSION_POLICY_TYPES, toolPolicyOfTools, type PermissionPolicyType };

const permissionPolicySchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("always_allow") }),
  z.strictObject({ type: z.literal("always_ask") }),
]);
export type PermissionPolicy = z.output<typeof permissionPolicySchema>;

const toolNameSchema = z.enum(AGENT_TOOL_NAMES, {
  error: (issue) => (issue.input === undefined ? "is required" : `must be one of ${AGENT_TOOL_NAMES.join(", ")}`),
});

const toolConfigParamsSchema = z.strictObject({
  name: toolNameSchema,
  enabled: z.boolean().nullable().optional(),
  permission_policy: permissionPolicySchema.nullable().optional(),
});

const toolsetParamsSchema = z.strictObject({
  type: z.literal(AGENT_TOOLSET_TYPE),
  default_config: z
    .strictObject({
      enabled: z.boolean().nullable().optional(),
      permission_policy: permissionPolicySchema.nullable().optional(),
    })
    .nullable()
    .optional(),
  configs: z
    .array(toolConfigParamsSchema)
    .superRefine((configs, context) => {
      const seen = new Set<string>();
      configs.forEach((config, index) => {
        if (seen.has(config.name))
          context.addIssue({ code: "custom", path: [index, "name"], message: `configures ${config.name} a second time; name each tool once` });
        seen.add(config.name);
      });
    })
    .optional(),
});

/** A tool type of the contract this console refuses, with the reason in the message. */
function refusedToolType(type: string, reason: string) {
  return z.looseObject({ type: z.literal(type) }).transform((_tool, context): never => {
    context.issues.push({ code: "custom", path: ["type"], message: `${type} is not supported by this console: ${reason}`, input: type });
    return z.NEVER;
  });
}

const toolParamsSchema = z.discriminatedUnion("type", [
  toolsetParamsSchema,
  refusedToolType("mcp_toolset", "agents here have no MCP servers for it to name"),
  refusedToolType("custom", "the runner runs only the built-in agent_toolset_20260401 tools"),
]);

/** The toolset as the API returns and stores it: default_config and every given config resolved. */
const agentToolsetSchema = z.strictObject({
  type: z.literal(AGENT_TOOLSET_TYPE),
  default_config: z.strictObject({ enabled: z.boolean(), permission_policy: permissionPolicySchema }),
  configs: z.array(z.strictObject({ name: z.enum(AGENT_TOOL_NAMES), enabled: z.boolean(), permission_policy: permissionPolicySchema })),
});
export type AgentToolset = z.output<typeof agentToolsetSchema>;

function resolveToolset(params: z.output<typeof toolsetParamsSchema>): AgentToolset {
  const defaults = {
    enabled: params.default_config?.enabled ?? DEFAULT_TOOL_SETTING.enabled,
    permission_policy: params.default_config?.permission_policy ?? { type: DEFAULT_TOOL_SETTING.permission },
  };
  return {
    type: AGENT_TOOLSET_TYPE,
    default_config: defaults,
    configs: (params.configs ?? []).map((config) => ({
      name: config.name,
      enabled: config.enabled ?? defaults.enabled,
      permission_policy: config.permission_policy ?? defaults.permission_policy,
    })),
  };
}

/** `tools` on create and update: at most one built-in toolset, stored resolved. */
export const agentToolsSchema = z
  .array(toolParamsSchema)
  .superRefine((tools, context) => {
    tools.forEach((tool, index) => {
      if (index > 0 && tool.type === AGENT_TOOLSET_TYPE)
        context.addIssue({ code: "custom", path: [index, "type"], message: `is a second ${AGENT_TOOLSET_TYPE}; send at most one` });
    });
  })
  .transform((tools) => tools.map(resolveToolset));

const storedAgentToolsSchema = z.array(agentToolsetSchema);

/** Reads stored tools back (the agent row, a version's snapshot; those from before tools could be set hold `[]`). */
export function storedAgentTools(value: unknown): AgentToolset[] {
  return storedAgentToolsSchema.parse(value);
}
