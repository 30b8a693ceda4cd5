"use client";

import { createAgentAction, updateAgentAction } from "@/lib/actions/agents";
import { toolsFormValues, type ToolsFormValues } from "@/lib/forms/agent-tools-form";
import type { MetadataRow } from "@/lib/forms/metadata-rows";
import { AGENT_DESCRIPTION_MAX, AGENT_NAME_MAX } from "@/lib/validation/limits";
import { ActionForm } from "@/components/forms/action-form";
import { FormFooter } from "@/components/forms/form-footer";
import { ResourceFormCard } from "@/components/forms/resource-form-card";
import { TextareaField, TextField } from "@/components/forms/text-field";
import { useFormAction } from "@/components/forms/use-form-action";
import { AgentToolsFields } from "@/components/agents/agent-tools-fields";

const LABELS: Record<string, string> = { name: "Name", model: "Model", system: "System prompt", description: "Description", tools: "Tools" };

export interface AgentFormInitial {
  agentId: string;
  version: number;
  name: string;
  model: string;
  system: string;
  description: string;
  tools: ToolsFormValues;
  metadata: MetadataRow[];
}

/** A new agent's tools: every built-in tool on, asking before each use. */
const NEW_AGENT_TOOLS = toolsFormValues([]);

/** Create an agent, or save a new version of one. */
export function AgentForm({ initial }: { initial?: AgentFormInitial }) {
  const { state, dispatch, pending, error } = useFormAction(
    initial ? updateAgentAction : createAgentAction,
    LABELS,
    "Agent saved. New sessions use the new version.",
  );

  return (
    <ActionForm action={dispatch} aria-label={initial ? "Edit agent" : "Create agent"} className="space-y-5">
      {initial ? (
        <>
          <input type="hidden" name="agent_id" value={initial.agentId} />
          <input type="hidden" name="version" value={initial.version} />
        </>
      ) : null}
      <ResourceFormCard serverErrors={state.fieldErrors} initialRows={initial?.metadata}>
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            name="name"
            label="Name"
            error={error("name")}
            defaultValue={initial?.name}
            placeholder="Support triage"
            maxLength={AGENT_NAME_MAX}
            autoComplete="off"
          />
          <TextField
            name="model"
            label="Model id"
            error={error("model")}
            hint="For example claude-sonnet-4-5."
            defaultValue={initial?.model}
            placeholder="claude-sonnet-4-5"
            autoComplete="off"
            spellCheck={false}
            className="font-mono text-[13px]"
          />
        </div>
        <TextareaField
          name="system"
          label="System prompt"
          optional
          error={error("system")}
          rows={5}
          defaultValue={initial?.system}
          placeholder="You are a careful support engineer…"
          className="font-sans text-sm"
        />
        <TextField
          name="description"
          label="Description"
          optional
          error={error("description")}
          defaultValue={initial?.description}
          maxLength={AGENT_DESCRIPTION_MAX}
          autoComplete="off"
        />
        <AgentToolsFields initial={initial?.tools ?? NEW_AGENT_TOOLS} error={error("tools")} />
      </ResourceFormCard>

      <FormFooter
        formError={state.formError}
        note={initial ? `Saving a change creates version ${initial.version + 1}; running sessions keep theirs.` : undefined}
        cancelHref={initial ? undefined : "/agents"}
        pending={pending}
        submit={initial ? ["Save new version", "Saving…"] : ["Create agent", "Creating…"]}
      />
    </ActionForm>
  );
}
