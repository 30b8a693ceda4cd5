"use client";

import Link from "next/link";
import { useState } from "react";
import { searchAgentOptionsAction, searchEnvironmentOptionsAction } from "@/lib/actions/sessions";
import { Field, fieldIds } from "@/components/ui/field";
import { SearchPicker, type PickerSearch } from "@/components/sessions/search-picker";
import type { AgentOption, EnvironmentOption } from "@/lib/forms/session-form-types";

/** A required single choice among many (agent, environment): searchable like the vault pickers. */
function OnePicker<T extends { id: string; name: string }>({
  name,
  label,
  noun,
  createHref,
  hint,
  error,
  initialOptions,
  search,
  detail,
}: {
  name: string;
  label: string;
  noun: string;
  createHref: string;
  hint: string;
  error: string | null;
  initialOptions: T[];
  search: PickerSearch<T>;
  detail: (option: T) => string;
}) {
  const [chosen, setChosen] = useState<T | null>(null);
  const ids = fieldIds(name);
  return (
    <Field
      id={name}
      label={label}
      error={error}
      hint={
        initialOptions.length === 0 ? (
          <>
            No active {noun}.{" "}
            <Link href={createHref} className="font-medium text-fg underline">
              Create one
            </Link>
            .
          </>
        ) : (
          hint
        )
      }
    >
      <input type="hidden" name={name} value={chosen?.id ?? ""} />
      <SearchPicker
        id={name}
        describedBy={[ids.hint, error ? ids.error : null].filter(Boolean).join(" ")}
        invalid={Boolean(error)}
        searchLabel={`Search ${noun}s`}
        initialOptions={initialOptions}
        pinned={chosen ? [chosen] : []}
        search={search}
        isChosen={(option) => option.id === chosen?.id}
        onChoose={setChosen}
        closeOnChoose
        empty={`No active ${noun} has that name or id.`}
        triggerContent={
          chosen ? (
            <span className="block truncate">
              <span className="font-medium">{chosen.name}</span> <span className="text-fg-muted">· {detail(chosen)}</span>
            </span>
          ) : (
            <span className="text-fg-muted">Choose an {noun}…</span>
          )
        }
        renderOption={(option) => (
          <>
            <span className="block font-medium">{option.name}</span>
            <span className="block truncate font-mono text-[11.5px] text-fg-subtle">{detail(option)}</span>
          </>
        )}
      />
    </Field>
  );
}

export function AgentPicker({ initialOptions, error }: { initialOptions: AgentOption[]; error: string | null }) {
  return (
    <OnePicker
      name="agent"
      label="Agent"
      noun="agent"
      createHref="/agents/new"
      hint="The session runs the agent's latest version."
      error={error}
      initialOptions={initialOptions}
      search={searchAgentOptionsAction}
      detail={(agent) => `${agent.id} · v${agent.version} · ${agent.model}`}
    />
  );
}

export function EnvironmentPicker({ initialOptions, error }: { initialOptions: EnvironmentOption[]; error: string | null }) {
  return (
    <OnePicker
      name="environment_id"
      label="Environment"
      noun="environment"
      createHref="/environments/new"
      hint="Where the runtime runs, and what it may reach."
      error={error}
      initialOptions={initialOptions}
      search={searchEnvironmentOptionsAction}
      detail={(environment) => environment.id}
    />
  );
}
