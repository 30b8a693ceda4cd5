"use client";

import { useId, useState } from "react";
import { RUNTIME_KEY_SESSIONS_MAX } from "@/lib/validation/limits";
import { FieldError } from "@/components/ui/field-error";
import { describedBy, Field } from "@/components/ui/field";
import { Select, Textarea } from "@/components/ui/input";

export interface EnvironmentOption {
  id: string;
  name: string;
}

type ScopeKind = "environment" | "sessions";

/**
 * What a runtime key may fetch runtime settings for: every session of one environment, or the
 * sessions listed. An unscoped runtime key is refused (SPEC §7), so one of the two is always picked.
 * Both inputs stay mounted (hidden when not picked) so switching back keeps what was typed.
 */
export function RuntimeKeyScopeFields({ environments, errors }: { environments: EnvironmentOption[]; errors: Record<string, string> }) {
  const [kind, setKind] = useState<ScopeKind>(environments.length > 0 ? "environment" : "sessions");
  const legendId = useId();
  const environmentId = useId();
  const sessionsId = useId();
  const scopeError = errors.scope ? `Scope ${errors.scope}` : null;
  const environmentError = errors.environment_id ? `Environment ${errors.environment_id}` : null;
  const sessionsError = errors.session_ids ? `Sessions ${errors.session_ids}` : null;
  return (
    <fieldset aria-labelledby={legendId} className="space-y-3 rounded-md border border-border p-3">
      <legend id={legendId} className="px-1 text-[13px] font-medium">
        Scope
      </legend>
      <p className="text-[12.5px] text-fg-muted">
        A runtime key fetches runtime settings only for these sessions. Revoking it stops the placeholders it obtained.
      </p>
      <div className="flex flex-wrap gap-4 text-[13px]" role="radiogroup" aria-label="Scope">
        <label className="flex items-center gap-2">
          <input
            type="radio"
            name="scope"
            value="environment"
            checked={kind === "environment"}
            onChange={() => setKind("environment")}
            className="size-3.5 accent-(--accent)"
          />
          Sessions of one environment
        </label>
        <label className="flex items-center gap-2">
          <input
            type="radio"
            name="scope"
            value="sessions"
            checked={kind === "sessions"}
            onChange={() => setKind("sessions")}
            className="size-3.5 accent-(--accent)"
          />
          Given sessions
        </label>
      </div>
      <FieldError id={`${legendId}-error`} message={scopeError} />
      <div hidden={kind !== "environment"}>
        <Field id={environmentId} label="Environment" error={environmentError}>
          <Select
            id={environmentId}
            name="environment_id"
            defaultValue=""
            invalid={Boolean(environmentError)}
            aria-describedby={describedBy(environmentId, { error: environmentError })}
          >
            <option value="">Choose an environment…</option>
            {environments.map((environment) => (
              <option key={environment.id} value={environment.id}>
                {environment.name} ({environment.id})
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <div hidden={kind !== "sessions"}>
        <Field
          id={sessionsId}
          label="Session ids"
          error={sessionsError}
          hint={`Up to ${RUNTIME_KEY_SESSIONS_MAX}, separated by commas, spaces or new lines (sesn_…).`}
        >
          <Textarea
            id={sessionsId}
            name="session_ids"
            rows={3}
            spellCheck={false}
            autoComplete="off"
            invalid={Boolean(sessionsError)}
            aria-describedby={describedBy(sessionsId, { hint: true, error: sessionsError })}
          />
        </Field>
      </div>
    </fieldset>
  );
}
