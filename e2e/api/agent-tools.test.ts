// An agent's `tools` through the official SDK: the built-in toolset (agent_toolset_20260401) is
// stored resolved, versioned, and carried into a session's agent snapshot; the MCP toolset and
// custom tools are refused naming the field (the runner has nothing to run them with).
import { describe, expect, it } from "vitest";

import { AGENT_MODEL, client, createAgent, createEnvironment, createSession, expectApiError, guardResponses, raw, uniqueName } from "./support";

guardResponses();

const anthropic = client();

const ASK = { type: "always_ask" } as const;
const ALLOW = { type: "always_allow" } as const;
const DEFAULT_TOOLSET = { type: "agent_toolset_20260401", default_config: { enabled: true, permission_policy: ASK }, configs: [] };

describe("agents: tools", () => {
  it("creates an agent with no tools as an empty list", async () => {
    const agent = await createAgent(anthropic, "no tools");
    expect(agent.tools).toEqual([]);
  });

  it("resolves a bare toolset to its defaults, as the contract's example shows", async () => {
    const agent = await createAgent(anthropic, "bare toolset", { tools: [{ type: "agent_toolset_20260401" }] });
    expect(agent.tools).toEqual([DEFAULT_TOOLSET]);
    expect((await anthropic.beta.agents.retrieve(agent.id)).tools).toEqual([DEFAULT_TOOLSET]);
  });

  it("round-trips default_config and per-tool configs, each config resolved from the default", async () => {
    const agent = await createAgent(anthropic, "configured tools", {
      tools: [
        {
          type: "agent_toolset_20260401",
          default_config: { permission_policy: ALLOW },
          configs: [
            { name: "bash", permission_policy: ASK },
            { name: "web_search", enabled: false },
            { name: "read", enabled: null, permission_policy: null },
          ],
        },
      ],
    });
    const expected = [
      {
        type: "agent_toolset_20260401",
        default_config: { enabled: true, permission_policy: ALLOW },
        configs: [
          { name: "bash", enabled: true, permission_policy: ASK },
          { name: "web_search", enabled: false, permission_policy: ALLOW },
          { name: "read", enabled: true, permission_policy: ALLOW },
        ],
      },
    ];
    expect(agent.tools).toEqual(expected);
    expect((await anthropic.beta.agents.retrieve(agent.id)).tools).toEqual(expected);
    const listed = await anthropic.beta.agents.list({ limit: 100 });
    expect(listed.data.find((item) => item.id === agent.id)?.tools).toEqual(expected);
  });

  it("makes a new version when tools change, keeps them when omitted, and clears them with null or []", async () => {
    const agent = await createAgent(anthropic, "tool versions");
    const withTools = await anthropic.beta.agents.update(agent.id, { tools: [{ type: "agent_toolset_20260401" }], version: 1 });
    expect(withTools.version).toBe(2);
    expect(withTools.tools).toEqual([DEFAULT_TOOLSET]);

    const same = await anthropic.beta.agents.update(agent.id, { tools: [{ type: "agent_toolset_20260401", default_config: { enabled: true } }] });
    expect(same.version, "the same resolved tools make no version").toBe(2);

    const renamed = await anthropic.beta.agents.update(agent.id, { name: uniqueName("tool versions renamed") });
    expect(renamed.version).toBe(3);
    expect(renamed.tools, "omitted tools are kept").toEqual([DEFAULT_TOOLSET]);

    const allowed = await anthropic.beta.agents.update(agent.id, {
      tools: [{ type: "agent_toolset_20260401", configs: [{ name: "grep", permission_policy: ALLOW }] }],
    });
    expect(allowed.version).toBe(4);
    expect(allowed.tools).toEqual([{ ...DEFAULT_TOOLSET, configs: [{ name: "grep", enabled: true, permission_policy: ALLOW }] }]);

    const cleared = await anthropic.beta.agents.update(agent.id, { tools: null });
    expect(cleared.version).toBe(5);
    expect(cleared.tools).toEqual([]);
    const clearedAgain = await anthropic.beta.agents.update(agent.id, { tools: [] });
    expect(clearedAgain.version, "[] after null changes nothing").toBe(5);

    expect((await anthropic.beta.agents.retrieve(agent.id, { version: 2 })).tools).toEqual([DEFAULT_TOOLSET]);
    expect((await anthropic.beta.agents.retrieve(agent.id, { version: 4 })).tools).toEqual(allowed.tools);
    const versions = await anthropic.beta.agents.versions.list(agent.id);
    expect(versions.data.map((version) => version.tools)).toEqual([[], allowed.tools, [DEFAULT_TOOLSET], [DEFAULT_TOOLSET], []]);
  });

  it("gives a session the tools of the agent version it started with", async () => {
    const agent = await createAgent(anthropic, "session tools", {
      tools: [{ type: "agent_toolset_20260401", default_config: { permission_policy: ALLOW } }],
    });
    const environment = await createEnvironment(anthropic, "session tools");
    const session = await createSession(anthropic, { agent, environment });
    expect(session.agent.tools).toEqual(agent.tools);

    await anthropic.beta.agents.update(agent.id, { tools: [] });
    expect((await anthropic.beta.sessions.retrieve(session.id)).agent.tools, "an agent update leaves the session's snapshot").toEqual(agent.tools);
    const pinned = await createSession(anthropic, { agent, environment }, { agent: { type: "agent", id: agent.id, version: 1 } });
    expect(pinned.agent.tools).toEqual(agent.tools);
    const latest = await createSession(anthropic, { agent, environment });
    expect(latest.agent.tools).toEqual([]);
  });
});

/** The 400's message opens with the field path, as every refusal here does. */
function startsWithField(field: string): RegExp {
  return new RegExp(`^${field.replace(/[[\].]/g, "\\$&")}: `);
}

describe("agents: tools refused", () => {
  const toolset = "agent_toolset_20260401";
  /** Each bad `tools` value, the field its 400 must name, and what the message must say. */
  const cases: Array<{ label: string; tools: unknown; field: string; says?: string }> = [
    { label: "an MCP toolset", tools: [{ type: "mcp_toolset", mcp_server_name: "docs" }], field: "tools[0].type", says: "not supported by this console" },
    {
      label: "a custom tool",
      tools: [{ type: toolset }, { type: "custom", name: "lookup", description: "d", input_schema: { type: "object" } }],
      field: "tools[1].type",
      says: "not supported by this console",
    },
    { label: "an unknown tool type", tools: [{ type: "agent_toolset_20990101" }], field: "tools[0].type" },
    { label: "not an array", tools: { type: toolset }, field: "tools" },
    { label: "two toolsets", tools: [{ type: toolset }, { type: toolset }], field: "tools[1].type", says: "at most one" },
    { label: "an unknown toolset field", tools: [{ type: toolset, defaults: {} }], field: "tools[0].defaults" },
    { label: "default_config.enabled not a boolean", tools: [{ type: toolset, default_config: { enabled: "yes" } }], field: "tools[0].default_config.enabled" },
    {
      label: "an unknown permission policy",
      tools: [{ type: toolset, default_config: { permission_policy: { type: "sometimes" } } }],
      field: "tools[0].default_config.permission_policy.type",
      says: "always_allow",
    },
    { label: "configs not an array", tools: [{ type: toolset, configs: { name: "bash" } }], field: "tools[0].configs" },
    { label: "an unknown tool name", tools: [{ type: toolset, configs: [{ name: "telnet" }] }], field: "tools[0].configs[0].name", says: "web_fetch" },
    { label: "a config without a name", tools: [{ type: toolset, configs: [{ enabled: false }] }], field: "tools[0].configs[0].name", says: "is required" },
    { label: "config enabled not a boolean", tools: [{ type: toolset, configs: [{ name: "bash", enabled: 1 }] }], field: "tools[0].configs[0].enabled" },
    {
      label: "a config permission policy without a type",
      tools: [{ type: toolset, configs: [{ name: "bash", permission_policy: {} }] }],
      field: "tools[0].configs[0].permission_policy.type",
    },
    {
      label: "a tool configured twice",
      tools: [{ type: toolset, configs: [{ name: "edit" }, { name: "edit", enabled: false }] }],
      field: "tools[0].configs[1].name",
      says: "second time",
    },
  ];

  for (const { label, tools, field, says } of cases) {
    it(`refuses ${label} on create and update with a 400 naming ${field}`, async () => {
      const created = await raw("POST", "/v1/agents", { body: { name: uniqueName("bad tools"), model: AGENT_MODEL, tools } });
      await expectApiError(created, 400, "invalid_request_error", [startsWithField(field), ...(says ? [says] : [])]);
    });
  }

  it("leaves the agent as it was when an update's tools are refused", async () => {
    const agent = await createAgent(anthropic, "refused update", { tools: [{ type: toolset }] });
    for (const { tools, field } of cases) {
      await expectApiError(await raw("POST", `/v1/agents/${agent.id}`, { body: { tools } }), 400, "invalid_request_error", startsWithField(field));
    }
    const current = await anthropic.beta.agents.retrieve(agent.id);
    expect(current.version).toBe(1);
    expect(current.tools).toEqual([DEFAULT_TOOLSET]);
  });
});
