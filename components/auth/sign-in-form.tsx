"use client";

import { useActionState } from "react";
import { signInAction, type SignInState } from "@/lib/actions/auth";
import { INITIAL_FORM_STATE } from "@/lib/forms/form-state";
import { ActionForm } from "@/components/forms/action-form";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { describedBy, Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

export function SignInForm({ next }: { next?: string }) {
  const [state, action, pending] = useActionState<SignInState, FormData>(signInAction, INITIAL_FORM_STATE);
  const errors = state.fieldErrors;
  return (
    <ActionForm action={action} className="space-y-4" aria-label="Sign in">
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <Field id="email" label="Email" error={errors.email ? `Email ${errors.email}` : null}>
        <Input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          autoFocus
          required
          invalid={Boolean(errors.email)}
          aria-describedby={describedBy("email", { error: errors.email })}
        />
      </Field>
      <Field id="password" label="Password" error={errors.password ? `Password ${errors.password}` : null}>
        <Input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          invalid={Boolean(errors.password)}
          aria-describedby={describedBy("password", { error: errors.password })}
        />
      </Field>
      <FormError message={state.fieldErrors.email || state.fieldErrors.password ? null : state.formError} />
      <Button type="submit" variant="primary" pending={pending} className="w-full">
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </ActionForm>
  );
}
