"use client";

import Link from "next/link";
import { useActionState, useEffect } from "react";
import { createAgentAction, updateAgentAction } from "@/lib/actions/agents";
import { INITIAL_FORM_STATE, type FormState } from "@/lib/forms/form-state";
import type { MetadataRow } from "@/lib/forms/metadata-rows";
import { AGENT_DESCRIPTION_MAX, AGENT_NAME_MAX } from "@/lib/validation/agents";
import { ActionForm } from "@/components/forms/action-form";
import { FormError } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { describedBy, Field } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { MetadataEditor } from "@/components/vaults/metadata-editor";

const LABELS: Record<string, string> = { name: "Name", model: "Model", system: "System prompt", description: "Description" };

export interface AgentFormInitial {
  agentId: string;
  version: number;
  name: string;
  model: string;
  system: string;
  description: string;
  metadata: MetadataRow[];
}

/** Create an agent, or save a new version of one. */
export function AgentForm({ initial }: { initial?: AgentFormInitial }) {
  const [state, action, pending] = useActionState<FormState, FormData>(initial ? updateAgentAction : createAgentAction, INITIAL_FORM_STATE);
  const { toast } = useToast();
  const errors = state.fieldErrors;
  const error = (field: string) => (errors[field] ? `${LABELS[field] ?? field} ${errors[field]}` : null);
  useEffect(() => {
    if (state.ok) toast("Agent saved. New sessions use the new version.");
  }, [state, toast]);

  return (
    <ActionForm action={action} aria-label={initial ? "Edit agent" : "Create agent"} className="space-y-5">
      {initial ? (
        <>
          <input type="hidden" name="agent_id" value={initial.agentId} />
          <input type="hidden" name="version" value={initial.version} />
        </>
      ) : null}
      <Card className="space-y-5 p-5">
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="name" label="Name" error={error("name")}>
            <Input
              id="name"
              name="name"
              defaultValue={initial?.name}
              placeholder="Support triage"
              maxLength={AGENT_NAME_MAX}
              invalid={Boolean(error("name"))}
              aria-describedby={describedBy("name", { error: error("name") })}
              autoComplete="off"
            />
          </Field>
          <Field id="model" label="Model id" error={error("model")} hint="For example claude-sonnet-4-5.">
            <Input
              id="model"
              name="model"
              defaultValue={initial?.model}
              placeholder="claude-sonnet-4-5"
              invalid={Boolean(error("model"))}
              aria-describedby={describedBy("model", { hint: true, error: error("model") })}
              autoComplete="off"
              spellCheck={false}
              className="font-mono text-[13px]"
            />
          </Field>
        </div>
        <Field id="system" label="System prompt" optional error={error("system")}>
          <Textarea
            id="system"
            name="system"
            rows={5}
            defaultValue={initial?.system}
            placeholder="You are a careful support engineer…"
            invalid={Boolean(error("system"))}
            aria-describedby={describedBy("system", { error: error("system") })}
            className="font-sans text-sm"
          />
        </Field>
        <Field id="description" label="Description" optional error={error("description")}>
          <Input
            id="description"
            name="description"
            defaultValue={initial?.description}
            maxLength={AGENT_DESCRIPTION_MAX}
            invalid={Boolean(error("description"))}
            aria-describedby={describedBy("description", { error: error("description") })}
            autoComplete="off"
          />
        </Field>
        <div className="border-t border-border pt-5">
          <MetadataEditor reservedCount={0} serverErrors={errors} initialRows={initial?.metadata} />
        </div>
      </Card>

      <FormError message={state.formError} />
      <div className="flex items-center justify-end gap-2">
        {initial ? (
          <span className="mr-auto text-[13px] text-fg-muted">Saving a change creates version {initial.version + 1}; running sessions keep theirs.</span>
        ) : (
          <Link href="/agents" className={buttonClasses("ghost")}>
            Cancel
          </Link>
        )}
        <Button type="submit" variant="primary" pending={pending}>
          {initial ? (pending ? "Saving…" : "Save new version") : pending ? "Creating…" : "Create agent"}
        </Button>
      </div>
    </ActionForm>
  );
}
