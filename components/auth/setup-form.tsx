"use client";

import { useActionState } from "react";
import { setupAction } from "@/lib/actions/auth";
import { INITIAL_FORM_STATE, type FormState } from "@/lib/forms/form-state";
import { NewPasswordFields } from "@/components/auth/new-password-fields";
import { ActionForm } from "@/components/forms/action-form";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { describedBy, Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

const LABELS: Record<string, string> = {
  name: "Name",
  email: "Email",
  password: "Password",
  password_confirmation: "The confirmation",
};

export function SetupForm({ passwordMin }: { passwordMin: number }) {
  const [state, action, pending] = useActionState<FormState, FormData>(setupAction, INITIAL_FORM_STATE);
  const error = (field: string) => (state.fieldErrors[field] ? `${LABELS[field]} ${state.fieldErrors[field]}` : null);
  return (
    <ActionForm action={action} className="space-y-4" aria-label="Create the first owner">
      <Field id="name" label="Name" optional error={error("name")}>
        <Input id="name" name="name" autoComplete="name" aria-describedby={describedBy("name", { error: error("name") })} />
      </Field>
      <Field id="email" label="Email" error={error("email")}>
        <Input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          autoFocus
          invalid={Boolean(error("email"))}
          aria-describedby={describedBy("email", { error: error("email") })}
        />
      </Field>
      <NewPasswordFields passwordMin={passwordMin} error={error} labels={{ password: "Password", confirmation: "Confirm password" }} />
      <FormError message={Object.keys(state.fieldErrors).length ? null : state.formError} />
      <Button type="submit" variant="primary" pending={pending} className="w-full">
        Create owner and sign in
      </Button>
    </ActionForm>
  );
}
