"use server";

import { revalidatePath } from "next/cache";
import { actionError, errorToFormState } from "@/lib/actions/form-errors";
import { fieldErrorState, formErrorState, formText, type ActionResult, type FormState } from "@/lib/actions/form-state";
import { authorizeAction } from "@/lib/auth/session";
import { createApiKey, revokeApiKey } from "@/lib/server/api-keys";
import { apiKeyCreateBody, apiKeyCreateSchema } from "@/lib/validation/api-keys";
import { validateInput } from "@/lib/validation/parse";

export interface CreateApiKeyState extends FormState {
  /**
   * The new key, present only in the response to the request that made it, for the dialog that
   * shows it once. It is never stored, logged or rendered by the server anywhere else.
   */
  created?: { key: string; name: string; role: string; prefix: string };
}

export async function createApiKeyAction(_previous: CreateApiKeyState, formData: FormData): Promise<CreateApiKeyState> {
  const authorized = await authorizeAction("write");
  if (!authorized.ok) return formErrorState(authorized.error);
  const input = validateInput(
    apiKeyCreateSchema,
    apiKeyCreateBody({
      name: formText(formData, "name"),
      role: formText(formData, "role"),
      expires_at: formText(formData, "expires_at"),
      scope: formText(formData, "scope"),
      environment_id: formText(formData, "environment_id"),
      session_ids: formText(formData, "session_ids"),
    }),
  );
  if (!input.ok) return fieldErrorState(input.issues, scopeField);
  try {
    const { apiKey, key } = await createApiKey(input.data, authorized.context);
    revalidatePath("/api-keys");
    return { ok: true, fieldErrors: {}, version: Date.now(), created: { key, name: apiKey.name, role: apiKey.role, prefix: apiKey.prefix } };
  } catch (error) {
    return errorToFormState(error, scopeField);
  }
}

/** The form has one box for all session ids: `session_ids[2]` is shown beside it. */
function scopeField(field: string): string {
  return field.startsWith("session_ids") ? "session_ids" : field;
}

export async function revokeApiKeyAction(apiKeyId: string): Promise<ActionResult> {
  const authorized = await authorizeAction("write");
  if (!authorized.ok) return authorized;
  try {
    await revokeApiKey(apiKeyId, authorized.context);
  } catch (error) {
    return actionError(error);
  }
  revalidatePath("/api-keys");
  return { ok: true };
}
