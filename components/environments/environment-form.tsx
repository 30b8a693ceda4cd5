"use client";

import { useId, useState } from "react";
import { PACKAGE_MANAGER_HOSTS } from "@/lib/boundary/package-manager-hosts";
import { createEnvironmentAction, updateEnvironmentAction } from "@/lib/actions/environments";
import type { MetadataRow } from "@/lib/forms/metadata-rows";
import { ENVIRONMENT_DESCRIPTION_MAX, ENVIRONMENT_NAME_MAX } from "@/lib/validation/limits";
import { cn } from "@/lib/cn";
import { ActionForm } from "@/components/forms/action-form";
import { FormFooter } from "@/components/forms/form-footer";
import { ResourceFormCard } from "@/components/forms/resource-form-card";
import { TextareaField, TextField } from "@/components/forms/text-field";
import { useFormAction } from "@/components/forms/use-form-action";
import { FieldError } from "@/components/ui/field-error";

const LABELS: Record<string, string> = {
  name: "Name",
  description: "Description",
  allowed_hosts: "Allowed hosts",
  networking: "Networking",
};

export interface EnvironmentFormInitial {
  environmentId: string;
  name: string;
  description: string;
  networking: "unrestricted" | "limited";
  allowedHosts: string[];
  allowPackageManagers: boolean;
  metadata: MetadataRow[];
}

const NETWORKING_OPTIONS = [
  { value: "unrestricted", title: "Unrestricted", description: "The runtime may reach any host." },
  { value: "limited", title: "Limited", description: "Only the hosts you list, plus the hosts of the session's credentials." },
] as const;

export function EnvironmentForm({ initial }: { initial?: EnvironmentFormInitial }) {
  const { state, dispatch, pending, error } = useFormAction(initial ? updateEnvironmentAction : createEnvironmentAction, LABELS, "Environment saved.");
  const [networking, setNetworking] = useState<"unrestricted" | "limited">(initial?.networking ?? "unrestricted");
  const legendId = useId();
  const packageManagersId = useId();

  return (
    <ActionForm action={dispatch} aria-label={initial ? "Edit environment" : "Create environment"} className="space-y-5">
      {initial ? <input type="hidden" name="environment_id" value={initial.environmentId} /> : null}
      <ResourceFormCard serverErrors={state.fieldErrors} initialRows={initial?.metadata}>
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            name="name"
            label="Name"
            error={error("name")}
            defaultValue={initial?.name}
            placeholder="Production sandbox"
            maxLength={ENVIRONMENT_NAME_MAX}
            autoComplete="off"
          />
          <TextField
            name="description"
            label="Description"
            optional
            error={error("description")}
            defaultValue={initial?.description}
            maxLength={ENVIRONMENT_DESCRIPTION_MAX}
            autoComplete="off"
          />
        </div>

        <fieldset aria-labelledby={legendId} aria-describedby={error("networking") ? "networking-error" : undefined}>
          <legend id={legendId} className="mb-2 text-[13px] font-medium">
            Networking
          </legend>
          <div className="grid gap-2.5 sm:grid-cols-2">
            {NETWORKING_OPTIONS.map((option) => (
              <label
                key={option.value}
                className={cn(
                  "flex cursor-pointer items-start gap-2.5 rounded-lg border bg-surface p-3 transition-colors has-focus-visible:outline-2 has-focus-visible:outline-offset-2 has-focus-visible:outline-ring",
                  networking === option.value ? "border-accent ring-1 ring-accent" : "border-border hover:border-border-strong",
                )}
              >
                <input
                  type="radio"
                  name="networking"
                  value={option.value}
                  checked={networking === option.value}
                  onChange={() => setNetworking(option.value)}
                  className="mt-0.5 size-3.5 accent-(--accent)"
                />
                <span>
                  <span className="block text-sm font-medium">{option.title}</span>
                  <span className="block text-[12.5px] text-fg-muted">{option.description}</span>
                </span>
              </label>
            ))}
          </div>
          <FieldError id="networking-error" message={error("networking")} />
        </fieldset>

        <div hidden={networking !== "limited"} className="space-y-3" data-testid="limited-networking">
          <p className="text-[13px] text-fg-muted">
            A session&apos;s egress proxy refuses (403, before any DNS lookup) every host not listed here, except the hosts a credential attached to the session
            is for: its LLM vault&apos;s endpoint, its header-credential vaults&apos; target domains, its MCP servers. The base-URL boundary mode does not
            enforce networking: it only ever reaches the LLM vault&apos;s endpoint.
          </p>
          <TextareaField
            name="allowed_hosts"
            label="Allowed hosts"
            error={error("allowed_hosts")}
            hint="One per line: bare hostnames, IPv4 addresses or *.example.com wildcards (any subdomain; no scheme, port or path)."
            rows={4}
            defaultValue={initial?.allowedHosts.join("\n")}
            placeholder={"api.github.com\n*.pypi.org"}
            spellCheck={false}
          />
          <div>
            <label htmlFor={packageManagersId} className="flex items-center gap-2 text-[13px] font-medium">
              <input
                id={packageManagersId}
                type="checkbox"
                name="allow_package_managers"
                defaultChecked={initial?.allowPackageManagers ?? false}
                aria-describedby={`${packageManagersId}-hosts`}
                className="size-3.5 accent-(--accent)"
              />
              Allow package managers
            </label>
            <p id={`${packageManagersId}-hosts`} className="mt-1 text-xs text-fg-muted">
              Opens the registries of apt, cargo, gem, go, npm and pip: <span className="font-mono">{PACKAGE_MANAGER_HOSTS.join(", ")}</span>.
            </p>
          </div>
        </div>
      </ResourceFormCard>

      <FormFooter
        formError={state.formError}
        cancelHref={initial ? undefined : "/environments"}
        pending={pending}
        submit={initial ? ["Save environment", "Saving…"] : ["Create environment", "Creating…"]}
      />
    </ActionForm>
  );
}
