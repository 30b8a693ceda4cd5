"use client";

import Link from "next/link";
import { useState } from "react";
import { searchLlmVaultOptionsAction } from "@/lib/actions/sessions";
import { Badge } from "@/components/ui/badge";
import { Field, fieldIds } from "@/components/ui/field";
import { SearchPicker } from "@/components/sessions/search-picker";
import type { LlmVaultOption } from "@/lib/forms/session-form-types";

export const LLM_VAULT_PICKER_ID = "llm_vault_id";

function TokenBadge({ hasToken }: { hasToken: boolean }) {
  return hasToken ? (
    <Badge tone="success" dot>
      Token stored
    </Badge>
  ) : (
    <Badge tone="warning" dot>
      No token yet
    </Badge>
  );
}

function Endpoint({ vault }: { vault: LlmVaultOption }) {
  return (
    <span className="block truncate font-mono text-[11.5px] text-fg-subtle">
      {vault.id} · {vault.baseUrl}
      {vault.baseUrlIsDefault ? " (default)" : ""}
    </span>
  );
}

/**
 * One LLM vault or none: a searchable combobox, so a second LLM vault cannot be picked at all (the
 * server still refuses two, for the SDK and forged forms). The attached vault is pinned on top and
 * posted as it is, whichever of thousands it is; vaults holding a token come first.
 */
export function LlmVaultPicker({
  initialOptions,
  initial,
  error,
  defaultOpen,
}: {
  initialOptions: LlmVaultOption[];
  initial: LlmVaultOption | null;
  error: string | null;
  defaultOpen?: boolean;
}) {
  const [chosen, setChosen] = useState<LlmVaultOption | null>(initial);
  const ids = fieldIds(LLM_VAULT_PICKER_ID);
  const pinned = [chosen, initial].filter(
    (vault, index, all): vault is LlmVaultOption => vault !== null && all.findIndex((other) => other?.id === vault.id) === index,
  );
  return (
    <Field
      id={LLM_VAULT_PICKER_ID}
      label="LLM vault"
      error={error}
      hint={
        initialOptions.length === 0 && !initial ? (
          <>
            No active LLM vault yet.{" "}
            <Link href="/vaults/new?kind=llm" className="font-medium text-fg underline">
              Create one
            </Link>{" "}
            and add the model token to it.
          </>
        ) : (
          "The one vault whose token the runtime uses to call the model, through the credential boundary. A session is ready only with exactly one."
        )
      }
    >
      <input type="hidden" name="llm_vault_id" value={chosen?.id ?? ""} />
      <SearchPicker
        id={LLM_VAULT_PICKER_ID}
        describedBy={[ids.hint, error ? ids.error : null].filter(Boolean).join(" ")}
        invalid={Boolean(error)}
        searchLabel="Search LLM vaults"
        initialOptions={initialOptions}
        pinned={pinned}
        search={searchLlmVaultOptionsAction}
        isChosen={(vault) => vault.id === chosen?.id}
        onChoose={setChosen}
        closeOnChoose
        defaultOpen={defaultOpen}
        noneItem={{
          label: (
            <>
              <span className="block font-medium">None</span>
              <span className="block text-[12.5px] text-fg-muted">Allowed, but the session is not ready until an LLM vault is attached.</span>
            </>
          ),
          chosen: chosen === null,
          onChoose: () => setChosen(null),
        }}
        empty="No active LLM vault has that name or id."
        triggerContent={
          chosen ? (
            <span className="block min-w-0">
              <span className="flex flex-wrap items-center gap-2">
                <span className="font-medium">{chosen.name}</span>
                <TokenBadge hasToken={chosen.hasToken} />
              </span>
              <Endpoint vault={chosen} />
            </span>
          ) : (
            <span className="text-fg-muted">None: the session is not ready until one is attached</span>
          )
        }
        renderOption={(vault) => (
          <>
            <span className="flex flex-wrap items-center gap-2">
              <span className="font-medium">{vault.name}</span>
              <TokenBadge hasToken={vault.hasToken} />
            </span>
            <Endpoint vault={vault} />
          </>
        )}
      />
    </Field>
  );
}
