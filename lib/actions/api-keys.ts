"use server";

import { formAction, idAction } from "@/lib/actions/action";
import { formText, successState, type FormState } from "@/lib/forms/form-state";
import { createApiKey, revokeApiKey } from "@/lib/server/api-keys";
import { apiKeyCreateBody, apiKeyCreateSchema } from "@/lib/validation/api-keys";

export interface CreateApiKeyState extends FormState {
  /**
   * The new key, present only in the response to the request that made it, for the dialog that
   * shows it once. It is never stored, logged or rendered by the server anywhere else.
   */
  created?: { key: string; name: string; role: string; prefix: string };
}

export const createApiKeyAction = formAction(
  "write",
  apiKeyCreateSchema,
  (formData) => ({
    input: apiKeyCreateBody({
      name: formText(formData, "name"),
      role: formText(formData, "role"),
      expires_at: formText(formData, "expires_at"),
      scope: formText(formData, "scope"),
      environment_id: formText(formData, "environment_id"),
      session_ids: formText(formData, "session_ids"),
    }),
    field: scopeField,
  }),
  (input, { context }) => createApiKey(input, context),
  {
    revalidate: ["/api-keys"],
    answer: ({ apiKey, key }): CreateApiKeyState => ({
      ...successState(),
      created: { key, name: apiKey.name, role: apiKey.role, prefix: apiKey.prefix },
    }),
  },
);

/** The form has one box for all session ids: `session_ids[2]` is shown beside it. */
function scopeField(field: string): string {
  return field.startsWith("session_ids") ? "session_ids" : field;
}

export const revokeApiKeyAction = idAction("write", revokeApiKey, () => ["/api-keys"]);
