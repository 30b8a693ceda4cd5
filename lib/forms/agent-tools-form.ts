// The agent form's Tools section: a default permission and, per built-in tool, an on/off switch and
// an optional permission of its own. It writes the API's `tools` (one agent_toolset_20260401), which
// the action validates with the API's schema, and reads an agent's stored tools back into the form.
import type { AgentToolset } from "@/lib/validation/agent-tools";
import { AGENT_TOOL_NAMES, AGENT_TOOLSET_TYPE, toolPolicyOfTools, type AgentToolName, type PermissionPolicyType } from "@/lib/validation/agent-toolset";

/** The form's field names. A tool's permission field left at "" follows the default. */
export const TOOLS_FORM_FIELDS = {
  defaultPermission: "tools_default_permission",
  /** A checkbox per tool, each submitting its tool's name when checked. */
  enabled: "tools_enabled",
  permission: (name: AgentToolName) => `tools_permission_${name}`,
} as const;

export const PERMISSION_LABELS: Record<PermissionPolicyType, string> = {
  always_ask: "Ask before each use",
  always_allow: "Allow without asking",
};

/** What each built-in tool does, in a few words for the form and the agent page. */
export const TOOL_SUMMARIES: Record<AgentToolName, string> = {
  bash: "Run shell commands",
  edit: "Edit files",
  read: "Read files",
  write: "Write files",
  glob: "Find files by pattern",
  grep: "Search file contents",
  web_fetch: "Fetch a URL",
  web_search: "Search the web",
};

/** The section's values as submitted: strings, checked by the API's schema once turned into `tools`. */
export interface ToolsFormValues {
  defaultPermission: string;
  tools: Record<AgentToolName, { enabled: boolean; permission: string }>;
}

/** An agent's stored tools as the form shows them: a tool's permission is its own only where it differs from the default. */
export function toolsFormValues(tools: readonly AgentToolset[]): ToolsFormValues {
  const policy = toolPolicyOfTools(tools);
  const defaultPermission = tools[0]?.default_config.permission_policy.type ?? "always_ask";
  const values = {} as ToolsFormValues["tools"];
  for (const name of AGENT_TOOL_NAMES) {
    const { enabled, permission } = policy[name];
    values[name] = { enabled, permission: permission === defaultPermission ? "" : permission };
  }
  return { defaultPermission, tools: values };
}

/** The section as submitted (a field the browser left out reads as unchecked or empty). */
export function readToolsForm(read: { text: (name: string) => string; all: (name: string) => string[] }): ToolsFormValues {
  const checked = new Set(read.all(TOOLS_FORM_FIELDS.enabled));
  const values = {} as ToolsFormValues["tools"];
  for (const name of AGENT_TOOL_NAMES) {
    values[name] = { enabled: checked.has(name), permission: read.text(TOOLS_FORM_FIELDS.permission(name)) };
  }
  return { defaultPermission: read.text(TOOLS_FORM_FIELDS.defaultPermission), tools: values };
}

export function sameToolsForm(a: ToolsFormValues, b: ToolsFormValues): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The API's `tools` for the section: the default, and a config only for a tool that departs from it.
 * The strings go to the API's schema as they came, so a forged value is refused as an API call's is.
 */
export function toolsParams(values: ToolsFormValues) {
  const configs = AGENT_TOOL_NAMES.flatMap((name) => {
    const { enabled, permission } = values.tools[name];
    if (enabled && permission === "") return [];
    return [{ name, ...(enabled ? {} : { enabled: false }), ...(permission === "" ? {} : { permission_policy: { type: permission } }) }];
  });
  return [{ type: AGENT_TOOLSET_TYPE, default_config: { permission_policy: { type: values.defaultPermission } }, configs }];
}
