"use client";

import { useActionState } from "react";
import { signInAction, type SignInState } from "@/lib/actions/auth";
import { INITIAL_FORM_STATE } from "@/lib/forms/form-state";
import { ActionForm } from "@/components/forms/action-form";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/forms/text-field";

export function SignInForm({ next }: { next?: string }) {
  const [state, action, pending] = useActionState<SignInState, FormData>(signInAction, INITIAL_FORM_STATE);
  const errors = state.fieldErrors;
  return (
    <ActionForm action={action} className="space-y-4" aria-label="Sign in">
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <TextField name="email" label="Email" error={errors.email ? `Email ${errors.email}` : null} type="email" autoComplete="username" autoFocus required />
      <TextField
        name="password"
        label="Password"
        error={errors.password ? `Password ${errors.password}` : null}
        type="password"
        autoComplete="current-password"
        required
      />
      <FormError message={state.fieldErrors.email || state.fieldErrors.password ? null : state.formError} />
      <Button type="submit" variant="primary" pending={pending} className="w-full">
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </ActionForm>
  );
}
