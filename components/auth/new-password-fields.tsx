import { TextField } from "@/components/forms/text-field";

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
      <TextField
        name="password"
        label={labels.password}
        hint={`At least ${passwordMin} characters.`}
        error={error("password")}
        type="password"
        autoComplete="new-password"
      />
      <TextField name="password_confirmation" label={labels.confirmation} error={error("password_confirmation")} type="password" autoComplete="new-password" />
    </>
  );
}
