import { PERMISSION_LABELS, TOOL_SUMMARIES } from "@/lib/forms/agent-tools-form";
import type { AgentToolset } from "@/lib/validation/agent-tools";
import { AGENT_TOOL_NAMES, toolPolicyOfTools } from "@/lib/validation/agent-toolset";

/** An agent's tools as its sessions get them (read-only): each built-in tool, off or with its permission. */
export function AgentToolsSummary({ tools }: { tools: AgentToolset[] }) {
  const policy = toolPolicyOfTools(tools);
  return (
    <ul className="mt-1 grid gap-x-6 gap-y-1 sm:grid-cols-2" aria-label="Tools">
      {AGENT_TOOL_NAMES.map((name) => (
        <li key={name} className="flex items-baseline justify-between gap-3 text-sm">
          <span title={TOOL_SUMMARIES[name]} className="font-mono text-[13px]">
            {name}
          </span>
          <span className={policy[name].enabled ? "text-fg" : "text-fg-subtle"}>
            {policy[name].enabled ? PERMISSION_LABELS[policy[name].permission] : "Off"}
          </span>
        </li>
      ))}
    </ul>
  );
}
