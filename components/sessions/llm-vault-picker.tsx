"use client";

import Link from "next/link";
import { useId } from "react";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/cn";
import type { LlmVaultOption } from "@/lib/forms/session-form-types";

const OPTION =
  "flex cursor-pointer items-start gap-2.5 rounded-md border bg-surface px-3 py-2.5 transition-colors hover:border-border-strong " +
  "has-checked:border-accent has-checked:ring-1 has-checked:ring-accent has-focus-visible:outline-2 has-focus-visible:outline-offset-2 has-focus-visible:outline-ring";

/**
 * One LLM vault or none: a radio group, so a second LLM vault cannot be picked at all. The server
 * still refuses two (the rule holds for the SDK and for forged forms too).
 */
export function LlmVaultPicker({
  vaults,
  defaultValue,
  errorId,
  invalid,
  disabled,
}: {
  vaults: LlmVaultOption[];
  defaultValue: string;
  errorId?: string;
  invalid: boolean;
  disabled?: boolean;
}) {
  const legendId = useId();
  const hintId = useId();
  return (
    <fieldset aria-labelledby={legendId} aria-describedby={[hintId, invalid ? errorId : null].filter(Boolean).join(" ")} disabled={disabled}>
      <legend id={legendId} className="text-[13px] font-medium">
        LLM vault
      </legend>
      <p id={hintId} className="mb-2 text-[12.5px] text-fg-muted">
        The one vault whose token the runtime uses to call the model, through the credential boundary. A session is ready only with exactly one.
      </p>
      <div className={cn("grid gap-2", invalid ? "rounded-md ring-1 ring-danger ring-offset-2 ring-offset-surface" : "")}>
        {vaults.map((vault) => (
          <label key={vault.id} className={cn(OPTION, "border-border")}>
            <input type="radio" name="llm_vault_id" value={vault.id} defaultChecked={defaultValue === vault.id} className="mt-0.5 size-3.5 accent-(--accent)" />
            <span className="min-w-0 flex-1">
              <span className="flex flex-wrap items-center gap-2">
                <span className="text-sm font-medium">{vault.name}</span>
                {vault.hasToken ? (
                  <Badge tone="success" dot>
                    Token stored
                  </Badge>
                ) : (
                  <Badge tone="warning" dot>
                    No token yet
                  </Badge>
                )}
              </span>
              <span className="mt-0.5 block truncate font-mono text-[11.5px] text-fg-subtle">
                {vault.id} · {vault.baseUrl}
                {vault.baseUrlIsDefault ? " (default)" : ""}
              </span>
            </span>
          </label>
        ))}
        <label className={cn(OPTION, "border-border")}>
          <input type="radio" name="llm_vault_id" value="" defaultChecked={defaultValue === ""} className="mt-0.5 size-3.5 accent-(--accent)" />
          <span className="min-w-0 flex-1">
            <span className="block text-sm font-medium">None</span>
            <span className="block text-[12.5px] text-fg-muted">Allowed, but the session is not ready until an LLM vault is attached.</span>
          </span>
        </label>
      </div>
      {vaults.length === 0 ? (
        <p className="mt-2 text-[12.5px] text-fg-muted">
          No active LLM vault yet.{" "}
          <Link href="/vaults/new?kind=llm" className="font-medium text-fg underline">
            Create one
          </Link>{" "}
          and add the model token to it.
        </p>
      ) : null}
    </fieldset>
  );
}
