"use server";

import { revalidatePath } from "next/cache";
import { actionError, errorToFormState } from "@/lib/actions/form-errors";
import { fieldErrorState, formErrorState, formText, successState, type ActionResult, type FormState } from "@/lib/actions/form-state";
import { authorizeAction } from "@/lib/auth/session";
import { archiveCredential, createCredential, deleteCredential, getCredential, updateCredential } from "@/lib/server/credentials";
import { credentialCreateSchema, credentialUpdateSchema } from "@/lib/validation/credentials";
import { validateInput } from "@/lib/validation/parse";

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

export async function createCredentialAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const authorized = await authorizeAction("write");
  if (!authorized.ok) return formErrorState(authorized.error);
  const vaultId = formText(formData, "vault_id");
  const typeText = formText(formData, "type");
  const type = AUTH_TYPES.find((candidate) => candidate === typeText);
  if (!type) return fieldErrorState([{ field: "type", message: "Choose a credential type" }]);

  const displayName = optionalText(formData, "display_name");
  const input = validateInput(credentialCreateSchema, { ...(displayName ? { display_name: displayName } : {}), auth: authFromForm(type, formData) });
  if (!input.ok) return fieldErrorState(input.issues);
  try {
    await createCredential(vaultId, input.data, authorized.context);
  } catch (error) {
    return errorToFormState(error);
  }
  revalidatePath(`/vaults/${vaultId}`);
  return successState();
}

/** Rotation replaces the secret in place; the old one is gone once this returns. */
export async function rotateCredentialAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const authorized = await authorizeAction("write");
  if (!authorized.ok) return formErrorState(authorized.error);
  const vaultId = formText(formData, "vault_id");
  const credentialId = formText(formData, "credential_id");
  try {
    const credential = await getCredential(vaultId, credentialId);
    const secret = formText(formData, "secret");
    const auth =
      credential.authType === "static_bearer"
        ? { type: credential.authType, token: secret }
        : credential.authType === "mcp_oauth"
          ? { type: credential.authType, access_token: secret }
          : { type: credential.authType, secret_value: secret };
    const input = validateInput(credentialUpdateSchema, { auth });
    // Every type's secret is one field here, whatever the API calls it.
    if (!input.ok) return fieldErrorState(input.issues, (field) => (field.startsWith("auth.") ? "secret" : field));
    await updateCredential(vaultId, credentialId, input.data, authorized.context);
  } catch (error) {
    return errorToFormState(error, (field) => (field.startsWith("auth.") ? "secret" : field));
  }
  revalidatePath(`/vaults/${vaultId}`);
  return successState();
}

export async function archiveCredentialAction(vaultId: string, credentialId: string): Promise<ActionResult> {
  const authorized = await authorizeAction("write");
  if (!authorized.ok) return authorized;
  try {
    await archiveCredential(vaultId, credentialId, authorized.context);
  } catch (error) {
    return actionError(error);
  }
  revalidatePath(`/vaults/${vaultId}`);
  return { ok: true };
}

export async function deleteCredentialAction(vaultId: string, credentialId: string): Promise<ActionResult> {
  const authorized = await authorizeAction("write");
  if (!authorized.ok) return authorized;
  try {
    await deleteCredential(vaultId, credentialId, authorized.context);
  } catch (error) {
    return actionError(error);
  }
  revalidatePath(`/vaults/${vaultId}`);
  return { ok: true };
}
