"use server";

import { z } from "zod";
import { buttonAction, formAction, FormRefusal } from "@/lib/actions/action";
import type { ConsoleError } from "@/lib/errors";
import { fieldErrorState, formText, type FormState } from "@/lib/forms/form-state";
import type { RequestContext } from "@/lib/server/audit";
import { archiveCredential, createCredential, deleteCredential, getCredential, updateCredential } from "@/lib/server/credentials";
import { serializeCredential } from "@/lib/serializers/credentials";
import { credentialCreateSchema, credentialUpdateSchema } from "@/lib/validation/credentials";

const AUTH_TYPES = ["static_bearer", "mcp_oauth", "environment_variable"] as const;
type AuthType = (typeof AUTH_TYPES)[number];

function optionalText(formData: FormData, name: string): string | undefined {
  const value = formText(formData, name).trim();
  return value === "" ? undefined : value;
}

/** `2027-01-31T12:00` from a datetime-local field, read as UTC, to RFC 3339. */
function isoFromLocal(value: string | undefined): string | undefined {
  if (!value) return undefined;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00Z` : value;
}

/** The form's fields as the API's request body, so the one API schema judges both. */
function authFromForm(type: AuthType, formData: FormData): Record<string, unknown> {
  switch (type) {
    case "static_bearer": {
      const mcpServerUrl = optionalText(formData, "mcp_server_url");
      return { type, token: formText(formData, "token"), ...(mcpServerUrl ? { mcp_server_url: mcpServerUrl } : {}) };
    }
    case "mcp_oauth": {
      const expiresAt = isoFromLocal(optionalText(formData, "expires_at"));
      const withRefresh = formText(formData, "with_refresh") === "on";
      const endpointAuth = formText(formData, "token_endpoint_auth") || "none";
      return {
        type,
        mcp_server_url: formText(formData, "mcp_server_url").trim(),
        access_token: formText(formData, "access_token"),
        ...(expiresAt ? { expires_at: expiresAt } : {}),
        ...(withRefresh
          ? {
              refresh: {
                client_id: formText(formData, "client_id").trim(),
                refresh_token: formText(formData, "refresh_token"),
                token_endpoint: formText(formData, "token_endpoint").trim(),
                token_endpoint_auth: endpointAuth === "none" ? { type: "none" } : { type: endpointAuth, client_secret: formText(formData, "client_secret") },
                ...(optionalText(formData, "scope") ? { scope: optionalText(formData, "scope") } : {}),
              },
            }
          : {}),
      };
    }
    case "environment_variable": {
      const limited = formText(formData, "networking") === "limited";
      const hosts = formText(formData, "allowed_hosts")
        .split(/[\s,]+/)
        .map((host) => host.trim())
        .filter(Boolean);
      return {
        type,
        secret_name: formText(formData, "secret_name").trim(),
        secret_value: formText(formData, "secret_value"),
        networking: limited ? { type: "limited", allowed_hosts: hosts } : { type: "unrestricted" },
        injection_location: { header: formText(formData, "inject_header") === "on", body: formText(formData, "inject_body") === "on" },
      };
    }
  }
}

/**
 * A URL or variable name another active credential holds: said beside that field, naming the
 * holder as the page shows it rather than by the raw ids the API's message carries.
 */
function takenSlotState(error: ConsoleError): FormState | null {
  const code = error.details?.error_code;
  if (code !== "mcp_server_url_taken" && code !== "secret_name_taken") return null;
  const holder = typeof error.details?.credential_name === "string" ? `“${error.details.credential_name}”` : "another credential";
  const what = code === "mcp_server_url_taken" ? "token" : "value";
  return fieldErrorState([
    {
      field: code === "mcp_server_url_taken" ? "auth.mcp_server_url" : "auth.secret_name",
      message: `is already used by ${holder} in this vault; rotate its ${what} or archive it first`,
    },
  ]);
}

export const createCredentialAction = formAction(
  "write",
  credentialCreateSchema,
  (formData) => {
    const vaultId = formText(formData, "vault_id");
    const typeText = formText(formData, "type");
    const type = AUTH_TYPES.find((candidate) => candidate === typeText);
    if (!type) throw new FormRefusal(fieldErrorState([{ field: "type", message: "Choose a credential type" }]));
    const displayName = optionalText(formData, "display_name");
    return { vaultId, input: { ...(displayName ? { display_name: displayName } : {}), auth: authFromForm(type, formData) } };
  },
  (input, { context }, { vaultId }) => createCredential(vaultId, input, context),
  { revalidate: (_credential, { vaultId }) => [`/vaults/${vaultId}`], refusal: takenSlotState },
);

/** Every type's secret is one field here, whatever the API calls it. */
function secretField(field: string): string {
  return field.startsWith("auth.") ? "secret" : field;
}

/** Rotation replaces the secret in place; the old one is gone once this returns. */
export const rotateCredentialAction = formAction(
  "write",
  credentialUpdateSchema,
  async (formData) => {
    const vaultId = formText(formData, "vault_id");
    const credentialId = formText(formData, "credential_id");
    const { authType: type } = await getCredential(vaultId, credentialId);
    const secret = formText(formData, "secret");
    const auth = type === "static_bearer" ? { type, token: secret } : type === "mcp_oauth" ? { type, access_token: secret } : { type, secret_value: secret };
    return { vaultId, credentialId, input: { auth }, field: secretField };
  },
  (input, { context }, { vaultId, credentialId }) => updateCredential(vaultId, credentialId, input, context),
  { revalidate: (_credential, { vaultId }) => [`/vaults/${vaultId}`] },
);

/** `2027-01-31T12:00:00.000Z` → `2027-01-31T12:00`, what a UTC datetime-local field shows. */
function localFromIso(value: string | null): string {
  return value ? value.slice(0, 16) : "";
}

/** The settings dialog's fields → the API's field names (errors show beside the field that caused them). */
function settingsField(field: string): string {
  if (field === "display_name") return field;
  if (field.startsWith("auth.networking.allowed_hosts")) return "allowed_hosts";
  if (field.startsWith("auth.networking")) return "networking";
  if (field.startsWith("auth.injection_location")) return "injection";
  if (field.startsWith("auth.refresh.scope")) return "scope";
  if (field.startsWith("auth.expires_at")) return "expires_at";
  return field;
}

/**
 * Rename a credential and change its non-secret settings (SPEC §4: an OAuth token's expiry and
 * refresh scope, a variable's hosts and where it is injected). Secrets change only by rotation, and
 * what is immutable (type, URL, secret name, client id, token endpoint) is not on the form. Only
 * what changed is sent, so an expiry already past does not block a rename.
 */
export const updateCredentialAction = formAction(
  "write",
  credentialUpdateSchema,
  async (formData) => {
    const vaultId = formText(formData, "vault_id");
    const credentialId = formText(formData, "credential_id");
    const stored = serializeCredential(await getCredential(vaultId, credentialId));
    const displayName = formText(formData, "display_name").trim();
    const auth = stored.auth;
    let authPatch: Record<string, unknown> | undefined;
    if (auth.type === "mcp_oauth") {
      const expires = formText(formData, "expires_at").trim();
      const scope = formText(formData, "scope").trim();
      const patch: Record<string, unknown> = {};
      if (expires !== localFromIso(auth.expires_at)) patch.expires_at = expires === "" ? null : isoFromLocal(expires);
      if (auth.refresh && scope !== (auth.refresh.scope ?? "")) patch.refresh = { scope: scope === "" ? null : scope };
      if (Object.keys(patch).length > 0) authPatch = { type: auth.type, ...patch };
    } else if (auth.type === "environment_variable") {
      const { networking, injection_location } = authFromForm("environment_variable", formData) as {
        networking: unknown;
        injection_location: { header: boolean; body: boolean };
      };
      const unchanged =
        JSON.stringify(networking) === JSON.stringify(auth.networking) && JSON.stringify(injection_location) === JSON.stringify(auth.injection_location);
      if (!unchanged) authPatch = { type: auth.type, networking, injection_location };
    }
    return {
      vaultId,
      credentialId,
      input: {
        ...(displayName !== (stored.display_name ?? "") ? { display_name: displayName === "" ? null : displayName } : {}),
        ...(authPatch ? { auth: authPatch } : {}),
      },
      field: settingsField,
    };
  },
  (input, { context }, { vaultId, credentialId }) => updateCredential(vaultId, credentialId, input, context),
  { revalidate: (_credential, { vaultId }) => [`/vaults/${vaultId}`] },
);

const credentialArguments = z.object({ vaultId: z.string(), credentialId: z.string() });

/** A one-click action on one credential: the vault's page shows the change. */
function credentialAction(run: (vaultId: string, credentialId: string, context: RequestContext) => Promise<unknown>) {
  return buttonAction(
    "write",
    credentialArguments,
    (vaultId: string, credentialId: string) => ({ vaultId, credentialId }),
    ({ vaultId, credentialId }, { context }) => run(vaultId, credentialId, context),
    { revalidate: ({ vaultId }) => [`/vaults/${vaultId}`] },
  );
}

export const archiveCredentialAction = credentialAction(archiveCredential);

export const deleteCredentialAction = credentialAction(deleteCredential);
