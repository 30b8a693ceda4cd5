"use client";

import { createSessionAction, updateSessionAction } from "@/lib/actions/sessions";
import { SESSION_TITLE_MAX } from "@/lib/validation/limits";
import { ActionForm } from "@/components/forms/action-form";
import { FormFooter } from "@/components/forms/form-footer";
import { ResourceFormCard } from "@/components/forms/resource-form-card";
import { TextField } from "@/components/forms/text-field";
import { useFocusFirstError } from "@/components/forms/use-focus-first-error";
import { useFormAction } from "@/components/forms/use-form-action";
import { LlmVaultPicker } from "@/components/sessions/llm-vault-picker";
import { OtherVaultsPicker } from "@/components/sessions/other-vaults-picker";
import { AgentPicker, EnvironmentPicker } from "@/components/sessions/session-start-pickers";
import type { SessionFormInitial, SessionFormOptions } from "@/lib/forms/session-form-types";

const LABELS: Record<string, string> = { agent: "Agent", environment_id: "Environment", title: "Title" };

/**
 * Create and edit a session. Editing keeps the agent and environment and replaces the vault list;
 * the attached vaults come from `initial` (looked up by id), not from the pickers' first page, so a
 * save never drops one the page did not list. `focusLlmVault` opens the LLM vault picker at once.
 */
export function SessionForm({ options, initial, focusLlmVault }: { options: SessionFormOptions; initial?: SessionFormInitial; focusLlmVault?: boolean }) {
  const { state, dispatch, pending, error } = useFormAction(initial ? updateSessionAction : createSessionAction, LABELS);
  const fieldsRef = useFocusFirstError<HTMLDivElement>(state);

  return (
    <ActionForm action={dispatch} aria-label={initial ? "Edit session" : "Create session"} className="space-y-5">
      {initial ? <input type="hidden" name="session_id" value={initial.sessionId} /> : null}
      <div ref={fieldsRef}>
        <ResourceFormCard serverErrors={state.fieldErrors} initialRows={initial?.metadata}>
          {initial ? (
            <dl className="grid gap-4 sm:grid-cols-2">
              <div>
                <dt className="text-[13px] font-medium">Agent</dt>
                <dd className="mt-1 text-sm text-fg-muted">{initial.agentLabel}</dd>
              </div>
              <div>
                <dt className="text-[13px] font-medium">Environment</dt>
                <dd className="mt-1 text-sm text-fg-muted">{initial.environmentLabel}</dd>
              </div>
              <p className="text-[12.5px] text-fg-subtle sm:col-span-2">A session keeps the agent version and environment it started with.</p>
            </dl>
          ) : (
            <div className="grid gap-4 sm:grid-cols-2">
              <AgentPicker initialOptions={options.agents} error={error("agent")} />
              <EnvironmentPicker initialOptions={options.environments} error={error("environment_id")} />
            </div>
          )}

          <TextField
            name="title"
            label="Title"
            optional
            error={error("title")}
            hint={`Up to ${SESSION_TITLE_MAX} characters.`}
            defaultValue={initial?.title ?? ""}
            placeholder="Nightly triage"
            maxLength={SESSION_TITLE_MAX}
            autoComplete="off"
          />

          <div className="space-y-5 border-t border-border pt-5">
            <LlmVaultPicker
              initialOptions={options.llmVaults}
              initial={initial?.llmVault ?? null}
              error={state.fieldErrors.vault_ids ?? null}
              defaultOpen={focusLlmVault}
            />
            <OtherVaultsPicker initialOptions={options.otherVaults} initial={initial?.otherVaults ?? []} />
            {initial && initial.unavailableVaultIds.length > 0 ? (
              <p className="text-[12.5px] text-warning-soft-fg">
                Archived vault{initial.unavailableVaultIds.length === 1 ? "" : "s"} {initial.unavailableVaultIds.join(", ")} cannot stay attached; saving
                detaches {initial.unavailableVaultIds.length === 1 ? "it" : "them"}.
              </p>
            ) : null}
          </div>
        </ResourceFormCard>
      </div>

      <FormFooter
        formError={state.formError}
        cancelHref={initial ? `/sessions/${initial.sessionId}` : "/sessions"}
        pending={pending}
        submit={initial ? ["Save session", "Saving…"] : ["Create session", "Creating…"]}
      />
    </ActionForm>
  );
}
