"use client";

import { useActionState, useState } from "react";
import { changePasswordAction } from "@/lib/actions/account";
import { INITIAL_FORM_STATE, type FormState } from "@/lib/forms/form-state";
import { NewPasswordFields } from "@/components/auth/new-password-fields";
import { ActionForm } from "@/components/forms/action-form";
import { Alert, FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/forms/text-field";

const LABELS: Record<string, string> = {
  current_password: "Current password",
  password: "New password",
  password_confirmation: "The confirmation",
};

export function ChangePasswordForm({ passwordMin }: { passwordMin: number }) {
  const [state, action, pending] = useActionState<FormState, FormData>(changePasswordAction, INITIAL_FORM_STATE);
  // The form is keyed by the last success, so a success empties the fields and an error keeps what
  // was typed. Derived while rendering (React's pattern for state that follows a prop), not in an effect.
  const [formKey, setFormKey] = useState(state.version);
  if (state.ok && state.version !== formKey) setFormKey(state.version);
  const error = (field: string) => (state.fieldErrors[field] ? `${LABELS[field]} ${state.fieldErrors[field]}` : null);
  return (
    <ActionForm key={formKey} action={action} className="max-w-md space-y-4" aria-label="Change password">
      <TextField name="current_password" label="Current password" error={error("current_password")} type="password" autoComplete="current-password" />
      <NewPasswordFields passwordMin={passwordMin} error={error} labels={{ password: "New password", confirmation: "Confirm new password" }} />
      <FormError message={state.ok ? null : state.formError} />
      <div aria-live="polite">
        {state.ok ? <Alert tone="success">Password changed. Every other browser signed in as you has been signed out.</Alert> : null}
      </div>
      <Button type="submit" variant="primary" pending={pending}>
        {pending ? "Changing password…" : "Change password"}
      </Button>
    </ActionForm>
  );
}
