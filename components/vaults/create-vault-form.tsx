"use client";

import { useId, useState, type ReactNode } from "react";
import { createVaultAction } from "@/lib/actions/vaults";
import { reservedPairCount, type VaultFormKind } from "@/lib/forms/vault-form";
import { DEFAULT_LLM_BASE_URL, SUPPORTED_ENGINE } from "@/lib/validation/reserved-keys";
import { cn } from "@/lib/cn";
import { ActionForm } from "@/components/forms/action-form";
import { FormFooter } from "@/components/forms/form-footer";
import { ResourceFormCard } from "@/components/forms/resource-form-card";
import { TextField } from "@/components/forms/text-field";
import { useFormAction } from "@/components/forms/use-form-action";
import { describedBy, Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { HeaderIcon, PlugIcon, SparkIcon } from "@/components/console/icons";
import { HTTP_HEADER_VAULT_LABELS, HttpHeaderVaultFields, NEW_HTTP_HEADER_VAULT } from "@/components/vaults/http-header-vault-fields";

const KINDS: { value: VaultFormKind; title: string; description: string; icon: ReactNode }[] = [
  {
    value: "llm",
    title: "LLM vault",
    description: "Holds the one model token a session uses (for example an Anthropic API key).",
    icon: <SparkIcon className="size-4.5" />,
  },
  {
    value: "credential",
    title: "HTTP header credential vault",
    description: "Injects secrets into request headers for the domains you list.",
    icon: <HeaderIcon className="size-4.5" />,
  },
  {
    value: "other",
    title: "MCP / other vault",
    description: "Credentials for MCP servers and environment variables. Name only.",
    icon: <PlugIcon className="size-4.5" />,
  },
];

const LABELS: Record<string, string> = {
  display_name: "Name",
  base_url: "Base URL",
  engine: "Engine",
  kind: "Kind",
  ...HTTP_HEADER_VAULT_LABELS,
};

function KindPicker({ kind, onChange }: { kind: VaultFormKind; onChange: (kind: VaultFormKind) => void }) {
  const legendId = useId();
  return (
    <fieldset aria-labelledby={legendId}>
      <legend id={legendId} className="mb-2 text-[13px] font-medium">
        Kind of vault
      </legend>
      <div className="grid gap-2.5 sm:grid-cols-3">
        {KINDS.map((option) => {
          const checked = option.value === kind;
          return (
            <label
              key={option.value}
              className={cn(
                "relative flex cursor-pointer flex-col gap-1.5 rounded-lg border bg-surface p-3 transition-colors has-focus-visible:outline-2 has-focus-visible:outline-offset-2 has-focus-visible:outline-ring",
                checked ? "border-accent ring-1 ring-accent" : "border-border hover:border-border-strong",
              )}
            >
              <input type="radio" name="kind" value={option.value} checked={checked} onChange={() => onChange(option.value)} className="sr-only" />
              <span className="flex items-center gap-2">
                <span className={cn("flex size-7 items-center justify-center rounded-md", checked ? "bg-accent text-accent-fg" : "bg-surface-3 text-fg-muted")}>
                  {option.icon}
                </span>
                <span className="text-sm font-medium">{option.title}</span>
              </span>
              <span className="text-[12.5px] leading-snug text-fg-muted">{option.description}</span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}

export function CreateVaultForm({ initialKind }: { initialKind: VaultFormKind }) {
  const { state, dispatch, pending, error } = useFormAction(createVaultAction, LABELS);
  const [kind, setKind] = useState<VaultFormKind>(initialKind);
  const [baseUrl, setBaseUrl] = useState("");

  return (
    <ActionForm action={dispatch} aria-label="Create vault" className="space-y-5">
      <ResourceFormCard serverErrors={state.fieldErrors} reservedCount={reservedPairCount(kind, baseUrl.trim() !== "")}>
        <KindPicker kind={kind} onChange={setKind} />
        <TextField
          name="display_name"
          label="Name"
          error={error("display_name")}
          hint="Shown in lists and in the SDK as display_name."
          placeholder={kind === "llm" ? "Anthropic production" : kind === "credential" ? "Partner API headers" : "GitHub MCP"}
          autoComplete="off"
        />

        <div hidden={kind !== "llm"} className="grid gap-4 sm:grid-cols-[1fr_12rem]">
          <TextField
            name="base_url"
            label="Base URL"
            optional
            error={error("base_url")}
            hint={`Left empty, ${DEFAULT_LLM_BASE_URL} applies. Must be an Anthropic-compatible https endpoint.`}
            type="url"
            inputMode="url"
            placeholder={DEFAULT_LLM_BASE_URL}
            value={baseUrl}
            onChange={(event) => setBaseUrl(event.target.value)}
            autoComplete="off"
            spellCheck={false}
            className="font-mono text-[13px]"
          />
          <Field id="engine" label="Engine" error={error("engine")} hint="OpenAI-compatible engines are not enabled for the Claude engine.">
            <Input
              id="engine"
              value={SUPPORTED_ENGINE}
              readOnly
              aria-describedby={describedBy("engine", { hint: true, error: error("engine") })}
              className="font-mono text-[13px]"
            />
          </Field>
        </div>

        <div hidden={kind !== "credential"} className="space-y-4">
          <HttpHeaderVaultFields values={NEW_HTTP_HEADER_VAULT} error={error} />
        </div>
      </ResourceFormCard>

      <FormFooter formError={state.formError} cancelHref="/vaults" pending={pending} submit={["Create vault", "Creating…"]} />
    </ActionForm>
  );
}
