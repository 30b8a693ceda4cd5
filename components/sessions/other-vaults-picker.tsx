"use client";

import { useState } from "react";
import { searchOtherVaultOptionsAction } from "@/lib/actions/sessions";
import { Badge } from "@/components/ui/badge";
import { Field, fieldIds } from "@/components/ui/field";
import { SearchPicker } from "@/components/sessions/search-picker";
import type { OtherVaultOption } from "@/lib/forms/session-form-types";
import { VAULT_KIND_LABELS } from "@/lib/vault-kind";

export const OTHER_VAULTS_PICKER_ID = "other_vault_ids";

/**
 * Any number of MCP / other and HTTP header credential vaults: chips for the attached ones (each
 * removable), and a searchable list that adds or removes one per Enter and stays open.
 */
export function OtherVaultsPicker({ initialOptions, initial }: { initialOptions: OtherVaultOption[]; initial: OtherVaultOption[] }) {
  const [chosen, setChosen] = useState<OtherVaultOption[]>(initial);
  const ids = fieldIds(OTHER_VAULTS_PICKER_ID);
  const toggle = (vault: OtherVaultOption) =>
    setChosen((current) => (current.some((other) => other.id === vault.id) ? current.filter((other) => other.id !== vault.id) : [...current, vault]));
  return (
    <Field id={OTHER_VAULTS_PICKER_ID} label="Other vaults" optional hint="MCP and HTTP header credential vaults the session may use. Add any number.">
      {chosen.length > 0 ? (
        <ul aria-label="Attached other vaults" className="mb-2 flex flex-wrap gap-1.5">
          {chosen.map((vault) => (
            <li key={vault.id} className="flex max-w-full items-center gap-1.5 rounded-md border border-border bg-surface-2 py-0.5 pr-0.5 pl-2 text-[13px]">
              <input type="hidden" name="other_vault_ids" value={vault.id} />
              <span className="truncate font-medium">{vault.name}</span>
              <Badge>{VAULT_KIND_LABELS[vault.kind]}</Badge>
              <button
                type="button"
                aria-label={`Remove ${vault.name}`}
                onClick={() => toggle(vault)}
                className="rounded px-1 text-fg-muted hover:bg-surface-3 hover:text-fg focus-visible:outline-2 focus-visible:outline-ring"
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <SearchPicker
        id={OTHER_VAULTS_PICKER_ID}
        describedBy={ids.hint}
        searchLabel="Search other vaults"
        initialOptions={initialOptions}
        pinned={chosen}
        search={searchOtherVaultOptionsAction}
        isChosen={(vault) => chosen.some((other) => other.id === vault.id)}
        onChoose={toggle}
        closeOnChoose={false}
        empty="No active MCP or credential vault has that name or id."
        triggerContent={<span className="text-fg-muted">{chosen.length === 0 ? "Add vaults…" : `${chosen.length} attached · add or remove…`}</span>}
        renderOption={(vault) => (
          <>
            <span className="flex flex-wrap items-center gap-1.5">
              <span className="font-medium">{vault.name}</span> <Badge>{VAULT_KIND_LABELS[vault.kind]}</Badge>
            </span>
            <span className="block truncate font-mono text-[11.5px] text-fg-subtle">{vault.id}</span>
          </>
        )}
      />
    </Field>
  );
}
