import { SelectField } from "@/components/forms/text-field";
import { Select } from "@/components/ui/input";
import { PERMISSION_LABELS, TOOL_SUMMARIES, TOOLS_FORM_FIELDS, type ToolsFormValues } from "@/lib/forms/agent-tools-form";
import { AGENT_TOOL_NAMES, PERMISSION_POLICY_TYPES } from "@/lib/validation/agent-toolset";

/** The agent form's Tools section: the default permission, then each built-in tool's switch and own permission. */
export function AgentToolsFields({ initial, error }: { initial: ToolsFormValues; error: string | null }) {
  return (
    <fieldset aria-labelledby="agent-tools-heading" className="space-y-3 border-t border-border pt-5">
      <div>
        <h3 id="agent-tools-heading" className="text-sm font-semibold">
          Tools
        </h3>
        <p className="mt-0.5 text-[12.5px] text-fg-muted">
          The built-in tools a session of this agent may use. A tool that asks waits, with the session idle, until someone allows or denies each use.
        </p>
      </div>
      <SelectField
        name={TOOLS_FORM_FIELDS.defaultPermission}
        label="Default permission"
        error={error}
        defaultValue={initial.defaultPermission}
        className="sm:max-w-xs"
      >
        {PERMISSION_POLICY_TYPES.map((type) => (
          <option key={type} value={type}>
            {PERMISSION_LABELS[type]}
          </option>
        ))}
      </SelectField>
      <ul className="grid gap-1.5 sm:grid-cols-2" aria-label="Built-in tools">
        {AGENT_TOOL_NAMES.map((name) => (
          <li key={name} className="flex items-center gap-2 rounded-md border border-border bg-surface px-3 py-1.5">
            <label className="flex min-w-0 flex-1 cursor-pointer items-center gap-2.5">
              <input
                type="checkbox"
                name={TOOLS_FORM_FIELDS.enabled}
                value={name}
                defaultChecked={initial.tools[name].enabled}
                aria-label={`Enable ${name}`}
                className="size-3.5 accent-(--accent)"
              />
              <span className="min-w-0">
                <span className="block font-mono text-[13px]">{name}</span>
                <span className="block truncate text-[11.5px] text-fg-subtle">{TOOL_SUMMARIES[name]}</span>
              </span>
            </label>
            <Select
              name={TOOLS_FORM_FIELDS.permission(name)}
              aria-label={`${name} permission`}
              defaultValue={initial.tools[name].permission}
              className="h-7 w-auto text-xs"
            >
              <option value="">Default</option>
              <option value="always_ask">Ask</option>
              <option value="always_allow">Allow</option>
            </Select>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
