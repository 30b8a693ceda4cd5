"use client";

import { useId, useState } from "react";
import { createCredentialAction } from "@/lib/actions/credentials";
import { CLIENT_SECRET_MAX, REFRESH_TOKEN_MAX, TOKEN_MAX } from "@/lib/validation/limits";
import { cn } from "@/lib/cn";
import { ActionForm } from "@/components/forms/action-form";
import { DialogFormFooter } from "@/components/forms/dialog-form-footer";
import { useDialogFormAction } from "@/components/forms/use-dialog-form-action";
import { useLiveErrors } from "@/components/forms/use-live-errors";
import { Alert } from "@/components/ui/alert";
import { Dialog } from "@/components/ui/dialog";
import { describedBy, Field } from "@/components/ui/field";
import { FieldError } from "@/components/ui/field-error";
import { Input, Select } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { MaskedTokenInput } from "@/components/credentials/masked-token-input";
import { CREDENTIAL_TYPE_LABELS } from "@/components/credentials/credential-types";
import type { VaultKind } from "@/lib/vault-kind";

type AuthType = "static_bearer" | "mcp_oauth" | "environment_variable";

const TYPE_DESCRIPTIONS: Record<AuthType, string> = {
  static_bearer: "A token sent as Authorization: Bearer to one MCP server.",
  mcp_oauth: "An OAuth access token for an MCP server, optionally with refresh settings.",
  environment_variable: "A secret exposed to the runtime under a variable name.",
};

/** The first error at or below an API field path (`auth.networking` covers `auth.networking.allowed_hosts[0]`). */
function errorAt(errors: Record<string, string>, field: string): string | null {
  if (errors[field]) return errors[field];
  const nested = Object.keys(errors).find((key) => key.startsWith(`${field}.`) || key.startsWith(`${field}[`));
  return nested ? `${nested.slice(field.length + 1) || field}: ${errors[nested]}` : null;
}

function sentence(label: string, message: string | null): string | null {
  return message ? `${label} ${message}` : null;
}

function TextField({
  name,
  field,
  label,
  errors,
  hint,
  optional,
  placeholder,
  mono,
  type = "text",
}: {
  name: string;
  field?: string;
  label: string;
  errors: Record<string, string>;
  hint?: string;
  optional?: boolean;
  placeholder?: string;
  mono?: boolean;
  type?: string;
}) {
  const id = useId();
  const error = sentence(label, errorAt(errors, `auth.${field ?? name}`));
  return (
    <Field id={id} label={label} hint={hint} optional={optional} error={error}>
      <Input
        id={id}
        name={name}
        type={type}
        placeholder={placeholder}
        invalid={Boolean(error)}
        aria-describedby={describedBy(id, { hint: Boolean(hint), error })}
        autoComplete="off"
        spellCheck={false}
        className={mono ? "font-mono text-[13px]" : undefined}
      />
    </Field>
  );
}

function StaticBearerFields({ errors, mcpUrl }: { errors: Record<string, string>; mcpUrl: "required" | "optional" }) {
  return (
    <>
      <TextField
        name="mcp_server_url"
        label="MCP server URL"
        optional={mcpUrl === "optional"}
        errors={errors}
        placeholder="https://mcp.example.com/sse"
        mono
        hint={
          mcpUrl === "required"
            ? "The server this token authenticates against; one active credential per URL."
            : "Leave empty when the token is not tied to one MCP server."
        }
      />
      <MaskedTokenInput name="token" label="Token" maxLength={TOKEN_MAX} error={sentence("Token", errorAt(errors, "auth.token"))} />
    </>
  );
}

function McpOauthFields({ errors }: { errors: Record<string, string> }) {
  const [withRefresh, setWithRefresh] = useState(false);
  const [endpointAuth, setEndpointAuth] = useState("none");
  const refreshId = useId();
  const endpointAuthId = useId();
  return (
    <>
      <TextField name="mcp_server_url" label="MCP server URL" errors={errors} placeholder="https://mcp.example.com/sse" mono />
      <MaskedTokenInput name="access_token" label="Access token" maxLength={TOKEN_MAX} error={sentence("Access token", errorAt(errors, "auth.access_token"))} />
      <TextField name="expires_at" label="Expires at (UTC)" type="datetime-local" optional errors={errors} hint="Must be in the future." />
      <label htmlFor={refreshId} className="flex items-center gap-2 text-[13px]">
        <input
          id={refreshId}
          type="checkbox"
          name="with_refresh"
          checked={withRefresh}
          onChange={(event) => setWithRefresh(event.target.checked)}
          className="size-3.5 accent-(--accent)"
        />
        Add refresh settings
      </label>
      {withRefresh ? (
        <div className="space-y-4 rounded-md border border-border bg-surface-2/50 p-3">
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField name="client_id" field="refresh.client_id" label="Client ID" errors={errors} mono />
            <TextField
              name="token_endpoint"
              field="refresh.token_endpoint"
              label="Token endpoint"
              errors={errors}
              placeholder="https://auth.example.com/token"
              mono
            />
          </div>
          <MaskedTokenInput
            name="refresh_token"
            label="Refresh token"
            maxLength={REFRESH_TOKEN_MAX}
            error={sentence("Refresh token", errorAt(errors, "auth.refresh.refresh_token"))}
          />
          <div className="grid gap-4 sm:grid-cols-2">
            <Field id={endpointAuthId} label="Token endpoint auth">
              <Select id={endpointAuthId} name="token_endpoint_auth" value={endpointAuth} onChange={(event) => setEndpointAuth(event.target.value)}>
                <option value="none">none</option>
                <option value="client_secret_basic">client_secret_basic</option>
                <option value="client_secret_post">client_secret_post</option>
              </Select>
            </Field>
            <TextField name="scope" field="refresh.scope" label="Scope" optional errors={errors} mono />
          </div>
          {endpointAuth !== "none" ? (
            <MaskedTokenInput
              name="client_secret"
              label="Client secret"
              maxLength={CLIENT_SECRET_MAX}
              error={sentence("Client secret", errorAt(errors, "auth.refresh.token_endpoint_auth"))}
            />
          ) : null}
        </div>
      ) : null}
    </>
  );
}

function EnvironmentVariableFields({ errors }: { errors: Record<string, string> }) {
  const [networking, setNetworking] = useState("unrestricted");
  const networkingId = useId();
  const headerId = useId();
  const bodyId = useId();
  const injectionError = errorAt(errors, "auth.injection_location");
  return (
    <>
      <TextField
        name="secret_name"
        label="Secret name"
        errors={errors}
        placeholder="PARTNER_API_KEY"
        mono
        hint="Letters, digits and underscores; one active credential per name."
      />
      <MaskedTokenInput name="secret_value" label="Secret value" maxLength={TOKEN_MAX} error={sentence("Secret value", errorAt(errors, "auth.secret_value"))} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id={networkingId} label="Networking">
          <Select id={networkingId} name="networking" value={networking} onChange={(event) => setNetworking(event.target.value)}>
            <option value="unrestricted">Unrestricted</option>
            <option value="limited">Limited to hosts</option>
          </Select>
        </Field>
        <fieldset>
          <legend className="mb-1.5 text-[13px] font-medium">Inject into</legend>
          <div className="flex h-8.5 items-center gap-4 text-[13px]">
            <label htmlFor={headerId} className="flex items-center gap-1.5">
              <input id={headerId} type="checkbox" name="inject_header" defaultChecked className="size-3.5 accent-(--accent)" /> Headers
            </label>
            <label htmlFor={bodyId} className="flex items-center gap-1.5">
              <input id={bodyId} type="checkbox" name="inject_body" className="size-3.5 accent-(--accent)" /> Body
            </label>
          </div>
          <FieldError id={`${headerId}-error`} message={injectionError ? `Injection ${injectionError}` : null} />
        </fieldset>
      </div>
      {networking === "limited" ? (
        <TextField
          name="allowed_hosts"
          field="networking.allowed_hosts"
          label="Allowed hosts"
          errors={errors}
          placeholder="api.example.com, *.example.org"
          mono
          hint="Up to 16 bare hosts, IPv4 addresses or *. wildcards."
        />
      ) : null}
    </>
  );
}

export function AddCredentialDialog({ vaultId, vaultKind, open, onClose }: { vaultId: string; vaultKind: VaultKind; open: boolean; onClose: () => void }) {
  const types: AuthType[] = vaultKind === "llm" ? ["static_bearer"] : ["static_bearer", "mcp_oauth", "environment_variable"];
  const [type, setType] = useState<AuthType>("static_bearer");
  const { toast } = useToast();
  const { state, dispatch, pending } = useDialogFormAction(createCredentialAction, () => {
    toast("Credential saved. Its secret is encrypted and will not be shown again.");
    onClose();
  });
  const nameId = useId();
  const live = useLiveErrors(state, { inject_header: "injection_location", inject_body: "injection_location", with_refresh: "refresh" });

  const errors = live.fieldErrors;
  const nameError = sentence("Name", errors.display_name ?? null);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      size="lg"
      title={vaultKind === "llm" ? "Add the model token" : "Add credential"}
      description={
        vaultKind === "llm"
          ? "An LLM vault holds one static bearer token, not bound to any MCP server. Sessions that attach this vault use it to call the model."
          : "The secret is encrypted on save. Afterwards only its last four characters are ever shown."
      }
    >
      <ActionForm action={dispatch} onInput={live.onInput} className="space-y-4" aria-label="Add credential">
        <input type="hidden" name="vault_id" value={vaultId} />
        {types.length > 1 ? (
          <fieldset>
            <legend className="mb-2 text-[13px] font-medium">Type</legend>
            <div className="grid gap-2 sm:grid-cols-3">
              {types.map((option) => (
                <label
                  key={option}
                  className={cn(
                    "cursor-pointer rounded-md border p-2.5 text-[13px] has-focus-visible:outline-2 has-focus-visible:outline-offset-2 has-focus-visible:outline-ring",
                    option === type ? "border-accent bg-accent-soft/40 ring-1 ring-accent" : "border-border hover:border-border-strong",
                  )}
                >
                  <input type="radio" name="type" value={option} checked={option === type} onChange={() => setType(option)} className="sr-only" />
                  <span className="block font-medium">{CREDENTIAL_TYPE_LABELS[option]}</span>
                  <span className="mt-0.5 block text-xs text-fg-muted">{TYPE_DESCRIPTIONS[option]}</span>
                </label>
              ))}
            </div>
          </fieldset>
        ) : (
          <>
            <input type="hidden" name="type" value="static_bearer" />
            <Alert tone="info">Type: static bearer token · no MCP server URL</Alert>
          </>
        )}
        <Field id={nameId} label="Name" optional error={nameError}>
          <Input
            id={nameId}
            name="display_name"
            placeholder={vaultKind === "llm" ? "Anthropic API key" : "Production token"}
            invalid={Boolean(nameError)}
            aria-describedby={describedBy(nameId, { error: nameError })}
            autoComplete="off"
          />
        </Field>
        {type === "static_bearer" ? (
          vaultKind === "llm" ? (
            <MaskedTokenInput
              name="token"
              label="Token"
              maxLength={TOKEN_MAX}
              autoFocus
              placeholder="sk-ant-…"
              error={sentence("Token", errorAt(errors, "auth.token"))}
            />
          ) : (
            <StaticBearerFields errors={errors} mcpUrl={vaultKind === "other" ? "required" : "optional"} />
          )
        ) : type === "mcp_oauth" ? (
          <McpOauthFields errors={errors} />
        ) : (
          <EnvironmentVariableFields errors={errors} />
        )}
        <DialogFormFooter formError={live.formError} onCancel={onClose} pending={pending} submit={["Save credential", "Saving…"]} />
      </ActionForm>
    </Dialog>
  );
}
