"use server";

import { redirect } from "next/navigation";
import { errorToFormState } from "@/lib/actions/form-errors";
import { fieldErrorState, formText, successState, type FormState } from "@/lib/actions/form-state";
import { currentSession, userContext } from "@/lib/auth/session";
import { changeOwnPassword } from "@/lib/server/account";
import { validateInput } from "@/lib/validation/parse";
import { passwordChangeSchema } from "@/lib/validation/users";

/** Any signed-in user, whatever their role, may change their own password. */
export async function changePasswordAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const session = await currentSession();
  if (!session) redirect("/sign-in");
  const input = validateInput(passwordChangeSchema, {
    current_password: formText(formData, "current_password"),
    password: formText(formData, "password"),
    password_confirmation: formText(formData, "password_confirmation"),
  });
  if (!input.ok) return fieldErrorState(input.issues);
  try {
    await changeOwnPassword(session.ref, input.data, await userContext(session.user));
  } catch (error) {
    return errorToFormState(error);
  }
  return successState();
}
