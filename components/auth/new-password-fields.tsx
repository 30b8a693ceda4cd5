import { describedBy, Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

/**
 * A new password and its confirmation, as the setup page and the account page ask for them: the
 * fields `password` and `password_confirmation` of the shared new-password schema.
 */
export function NewPasswordFields({
  passwordMin,
  error,
  labels,
}: {
  passwordMin: number;
  error: (field: "password" | "password_confirmation") => string | null;
  labels: { password: string; confirmation: string };
}) {
  return (
    <>
      <Field id="password" label={labels.password} hint={`At least ${passwordMin} characters.`} error={error("password")}>
        <Input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          invalid={Boolean(error("password"))}
          aria-describedby={describedBy("password", { hint: true, error: error("password") })}
        />
      </Field>
      <Field id="password_confirmation" label={labels.confirmation} error={error("password_confirmation")}>
        <Input
          id="password_confirmation"
          name="password_confirmation"
          type="password"
          autoComplete="new-password"
          invalid={Boolean(error("password_confirmation"))}
          aria-describedby={describedBy("password_confirmation", { error: error("password_confirmation") })}
        />
      </Field>
    </>
  );
}
