import { describe, expect, it } from "vitest";
import { agentToolsSchema, storedAgentTools, toolPolicyOfTools } from "@/lib/validation/agent-tools";
import { agentCreateSchema, agentUpdateSchema } from "@/lib/validation/agents";
import { validateInput } from "@/lib/validation/parse";

function problems(input: unknown): string[] {
  const result = validateInput(agentCreateSchema, { name: "a", model: "claude-sonnet-4-6", tools: input });
  return result.ok ? [] : result.issues.map((issue) => `${issue.field}: ${issue.message}`);
}

const ASK = { type: "always_ask" } as const;
const ALLOW = { type: "always_allow" } as const;

describe("agentToolsSchema", () => {
  it("resolves a bare toolset to the defaults the contract's example shows", () => {
    expect(agentToolsSchema.parse([{ type: "agent_toolset_20260401" }])).toEqual([
      { type: "agent_toolset_20260401", default_config: { enabled: true, permission_policy: ASK }, configs: [] },
    ]);
  });

  it("fills each config's unset fields from default_config, treating null as unset", () => {
    const [toolset] = agentToolsSchema.parse([
      {
        type: "agent_toolset_20260401",
        default_config: { enabled: false, permission_policy: ALLOW },
        configs: [{ name: "bash" }, { name: "read", enabled: true, permission_policy: null }, { name: "write", enabled: null, permission_policy: ASK }],
      },
    ]);
    expect(toolset?.default_config).toEqual({ enabled: false, permission_policy: ALLOW });
    expect(toolset?.configs).toEqual([
      { name: "bash", enabled: false, permission_policy: ALLOW },
      { name: "read", enabled: true, permission_policy: ALLOW },
      { name: "write", enabled: false, permission_policy: ASK },
    ]);
  });

  it("treats a null default_config as the defaults", () => {
    expect(agentToolsSchema.parse([{ type: "agent_toolset_20260401", default_config: null }])[0]?.default_config).toEqual({
      enabled: true,
      permission_policy: ASK,
    });
  });

  it("accepts an empty array (no toolset)", () => {
    expect(agentToolsSchema.parse([])).toEqual([]);
  });

  it("refuses the MCP toolset and custom tools naming tools[i].type and why", () => {
    expect(problems([{ type: "mcp_toolset", mcp_server_name: "x" }])).toEqual([
      "tools[0].type: mcp_toolset is not supported by this console: agents here have no MCP servers for it to name",
    ]);
    expect(problems([{ type: "custom", name: "lookup", input_schema: { type: "object" } }])).toEqual([
      "tools[0].type: custom is not supported by this console: the runner runs only the built-in agent_toolset_20260401 tools",
    ]);
  });

  it("names the field of each other bad input", () => {
    expect(problems([{ type: "agent_toolset_20250101" }])).toEqual([
      expect.stringMatching(/^tools\[0\]\.type: must be one of "agent_toolset_20260401", "mcp_toolset", "custom"$/),
    ]);
    expect(problems([{ type: "agent_toolset_20260401" }, { type: "agent_toolset_20260401" }])).toEqual([
      "tools[1].type: is a second agent_toolset_20260401; send at most one",
    ]);
    expect(problems({ type: "agent_toolset_20260401" })).toEqual([expect.stringMatching(/^tools: must be of type array/)]);
    expect(problems([{ type: "agent_toolset_20260401", extra: 1 }])).toEqual(["tools[0].extra: unknown field"]);
    expect(problems([{ type: "agent_toolset_20260401", default_config: { enabled: "yes" } }])).toEqual([
      "tools[0].default_config.enabled: must be of type boolean",
    ]);
    expect(problems([{ type: "agent_toolset_20260401", default_config: { permission_policy: { type: "auto" } } }])).toEqual([
      'tools[0].default_config.permission_policy.type: must be one of "always_allow", "always_ask"',
    ]);
    expect(problems([{ type: "agent_toolset_20260401", configs: [{ name: "telnet" }] }])).toEqual([
      "tools[0].configs[0].name: must be one of bash, edit, read, write, glob, grep, web_fetch, web_search",
    ]);
    expect(problems([{ type: "agent_toolset_20260401", configs: [{ enabled: true }] }])).toEqual(["tools[0].configs[0].name: is required"]);
    expect(problems([{ type: "agent_toolset_20260401", configs: [{ name: "grep", allowed_domains: ["x"] }] }])).toEqual([
      "tools[0].configs[0].allowed_domains: unknown field",
    ]);
    expect(problems([{ type: "agent_toolset_20260401", configs: [{ name: "bash" }, { name: "read" }, { name: "bash", enabled: false }] }])).toEqual([
      "tools[0].configs[2].name: configures bash a second time; name each tool once",
    ]);
  });

  it("lets an update clear tools with null", () => {
    expect(agentUpdateSchema.parse({ tools: null }).tools).toBeNull();
    expect(agentUpdateSchema.parse({}).tools).toBeUndefined();
  });
});

describe("toolPolicyOfTools", () => {
  const resolved = (tools: unknown) => agentToolsSchema.parse(tools);

  it("enables every tool and asks before each when the agent has no toolset", () => {
    const policy = toolPolicyOfTools([]);
    expect(Object.keys(policy).sort()).toEqual(["bash", "edit", "glob", "grep", "read", "web_fetch", "web_search", "write"]);
    for (const setting of Object.values(policy)) expect(setting).toEqual({ enabled: true, permission: "always_ask" });
  });

  it("applies default_config to every tool, then each per-tool config", () => {
    const policy = toolPolicyOfTools(
      resolved([
        {
          type: "agent_toolset_20260401",
          default_config: { permission_policy: ALLOW },
          configs: [
            { name: "bash", permission_policy: ASK },
            { name: "web_search", enabled: false },
          ],
        },
      ]),
    );
    expect(policy.bash).toEqual({ enabled: true, permission: "always_ask" });
    expect(policy.web_search).toEqual({ enabled: false, permission: "always_allow" });
    expect(policy.read).toEqual({ enabled: true, permission: "always_allow" });
    expect(policy.edit).toEqual({ enabled: true, permission: "always_allow" });
  });

  it("keeps a tool enabled by its config when the default disables the rest", () => {
    const policy = toolPolicyOfTools(
      resolved([{ type: "agent_toolset_20260401", default_config: { enabled: false }, configs: [{ name: "read", enabled: true }] }]),
    );
    expect(policy.read).toEqual({ enabled: true, permission: "always_ask" });
    expect(policy.bash).toEqual({ enabled: false, permission: "always_ask" });
    expect(policy.write.enabled).toBe(false);
  });
});

describe("storedAgentTools", () => {
  it("refuses a stored toolset that is not resolved", () => {
    expect(() => storedAgentTools([{ type: "agent_toolset_20260401", configs: [] }])).toThrow();
  });
});
