"use client";

import Link from "next/link";
import { useId } from "react";
import { createSessionAction, updateSessionAction } from "@/lib/actions/sessions";
import { SESSION_TITLE_MAX } from "@/lib/validation/sessions";
import { VAULT_KIND_LABELS } from "@/lib/vault-kind";
import { ActionForm } from "@/components/forms/action-form";
import { FormFooter } from "@/components/forms/form-footer";
import { ResourceFormCard } from "@/components/forms/resource-form-card";
import { SelectField, TextField } from "@/components/forms/text-field";
import { useFormAction } from "@/components/forms/use-form-action";
import { Badge } from "@/components/ui/badge";
import { fieldIds } from "@/components/ui/field";
import { FieldError } from "@/components/ui/field-error";
import { LlmVaultPicker } from "@/components/sessions/llm-vault-picker";
import type { SessionFormInitial, SessionFormOptions } from "@/lib/forms/session-form-types";

const LABELS: Record<string, string> = { agent: "Agent", environment_id: "Environment", title: "Title" };

function OtherVaults({ vaults, defaultChecked }: { vaults: SessionFormOptions["otherVaults"]; defaultChecked: string[] }) {
  const legendId = useId();
  return (
    <fieldset aria-labelledby={legendId}>
      <legend id={legendId} className="text-[13px] font-medium">
        Other vaults
      </legend>
      <p className="mb-2 text-[12.5px] text-fg-muted">MCP and HTTP header credential vaults the session may use. Tick any number.</p>
      {vaults.length === 0 ? (
        <p className="text-[12.5px] text-fg-subtle">No other active vaults.</p>
      ) : (
        <ul className="grid gap-1.5 sm:grid-cols-2">
          {vaults.map((vault) => (
            <li key={vault.id}>
              <label className="flex cursor-pointer items-start gap-2.5 rounded-md border border-border bg-surface px-3 py-2 hover:border-border-strong has-checked:border-accent has-focus-visible:outline-2 has-focus-visible:outline-offset-2 has-focus-visible:outline-ring">
                <input
                  type="checkbox"
                  name="other_vault_ids"
                  value={vault.id}
                  defaultChecked={defaultChecked.includes(vault.id)}
                  className="mt-0.5 size-3.5 accent-(--accent)"
                />
                <span className="min-w-0">
                  <span className="flex flex-wrap items-center gap-1.5 text-sm font-medium">
                    {vault.name} <Badge>{VAULT_KIND_LABELS[vault.kind]}</Badge>
                  </span>
                  <span className="block truncate font-mono text-[11.5px] text-fg-subtle">{vault.id}</span>
                </span>
              </label>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}

/** Create and edit a session. Editing keeps the agent and environment and replaces the vault list. */
export function SessionForm({ options, initial }: { options: SessionFormOptions; initial?: SessionFormInitial }) {
  const { state, dispatch, pending, error } = useFormAction(initial ? updateSessionAction : createSessionAction, LABELS);
  const vaultError = state.fieldErrors.vault_ids ?? null;
  const vaultErrorIds = fieldIds("vault_ids");

  return (
    <ActionForm action={dispatch} aria-label={initial ? "Edit session" : "Create session"} className="space-y-5">
      {initial ? <input type="hidden" name="session_id" value={initial.sessionId} /> : null}
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
            <SelectField
              name="agent"
              label="Agent"
              error={error("agent")}
              hint={
                options.agents.length === 0 ? (
                  <>
                    No active agent.{" "}
                    <Link href="/agents/new" className="font-medium text-fg underline">
                      Create one
                    </Link>
                    .
                  </>
                ) : (
                  "The session runs the agent's latest version."
                )
              }
              defaultValue=""
            >
              <option value="" disabled>
                Choose an agent…
              </option>
              {options.agents.map((agent) => (
                <option key={agent.id} value={agent.id}>
                  {agent.name} · v{agent.version} · {agent.model}
                </option>
              ))}
            </SelectField>
            <SelectField
              name="environment_id"
              label="Environment"
              error={error("environment_id")}
              hint={
                options.environments.length === 0 ? (
                  <>
                    No active environment.{" "}
                    <Link href="/environments/new" className="font-medium text-fg underline">
                      Create one
                    </Link>
                    .
                  </>
                ) : (
                  "Where the runtime runs, and what it may reach."
                )
              }
              defaultValue=""
            >
              <option value="" disabled>
                Choose an environment…
              </option>
              {options.environments.map((environment) => (
                <option key={environment.id} value={environment.id}>
                  {environment.name}
                </option>
              ))}
            </SelectField>
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
          <LlmVaultPicker vaults={options.llmVaults} defaultValue={initial?.llmVaultId ?? ""} errorId={vaultErrorIds.error} invalid={Boolean(vaultError)} />
          <FieldError id={vaultErrorIds.error} message={vaultError} />
          <OtherVaults vaults={options.otherVaults} defaultChecked={initial?.otherVaultIds ?? []} />
          {initial && initial.unavailableVaultIds.length > 0 ? (
            <p className="text-[12.5px] text-warning-soft-fg">
              Archived vault{initial.unavailableVaultIds.length === 1 ? "" : "s"} {initial.unavailableVaultIds.join(", ")} cannot stay attached; saving detaches{" "}
              {initial.unavailableVaultIds.length === 1 ? "it" : "them"}.
            </p>
          ) : null}
        </div>
      </ResourceFormCard>

      <FormFooter
        formError={state.formError}
        cancelHref={initial ? `/sessions/${initial.sessionId}` : "/sessions"}
        pending={pending}
        submit={initial ? ["Save session", "Saving…"] : ["Create session", "Creating…"]}
      />
    </ActionForm>
  );
}
