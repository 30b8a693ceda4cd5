import { describe, expect, it } from "vitest";
import { readToolsForm, sameToolsForm, toolsFormValues, toolsParams, TOOLS_FORM_FIELDS } from "@/lib/forms/agent-tools-form";
import { agentToolsSchema, toolPolicyOfTools } from "@/lib/validation/agent-tools";

function formDataOf(entries: Array<[string, string]>) {
  return {
    text: (name: string) => entries.find(([key]) => key === name)?.[1] ?? "",
    all: (name: string) => entries.filter(([key]) => key === name).map(([, value]) => value),
  };
}

describe("the agent form's Tools section", () => {
  it("shows an agent without tools as every tool on, asking", () => {
    const values = toolsFormValues([]);
    expect(values.defaultPermission).toBe("always_ask");
    expect(Object.values(values.tools).every((tool) => tool.enabled && tool.permission === "")).toBe(true);
  });

  it("writes only the tools that depart from the default, and reads back the same policy", () => {
    const submitted = readToolsForm(
      formDataOf([
        [TOOLS_FORM_FIELDS.defaultPermission, "always_allow"],
        ...["edit", "read", "write", "glob", "grep", "web_fetch", "web_search"].map((name): [string, string] => [TOOLS_FORM_FIELDS.enabled, name]),
        [TOOLS_FORM_FIELDS.permission("edit"), "always_ask"],
      ]),
    );
    const params = toolsParams(submitted);
    expect(params).toEqual([
      {
        type: "agent_toolset_20260401",
        default_config: { permission_policy: { type: "always_allow" } },
        configs: [
          { name: "bash", enabled: false },
          { name: "edit", permission_policy: { type: "always_ask" } },
        ],
      },
    ]);
    const stored = agentToolsSchema.parse(params);
    expect(toolPolicyOfTools(stored).bash).toEqual({ enabled: false, permission: "always_allow" });
    expect(toolPolicyOfTools(stored).edit).toEqual({ enabled: true, permission: "always_ask" });
    expect(sameToolsForm(toolsFormValues(stored), submitted), "the stored tools open the form as it was submitted").toBe(true);
  });

  it("passes a forged permission to the API's schema, which refuses it", () => {
    const params = toolsParams(readToolsForm(formDataOf([[TOOLS_FORM_FIELDS.defaultPermission, "sometimes"]])));
    expect(agentToolsSchema.safeParse(params).success).toBe(false);
  });
});
