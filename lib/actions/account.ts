"use server";

import { formAction } from "@/lib/actions/action";
import { formText } from "@/lib/forms/form-state";
import { changeOwnPassword } from "@/lib/server/account";
import { passwordChangeSchema } from "@/lib/validation/users";

/** Any signed-in user, whatever their role, may change their own password. */
export const changePasswordAction = formAction(
  "signed_in",
  passwordChangeSchema,
  (formData) => ({
    input: {
      current_password: formText(formData, "current_password"),
      password: formText(formData, "password"),
      password_confirmation: formText(formData, "password_confirmation"),
    },
  }),
  (input, { session, context }) => changeOwnPassword(session.ref, input, context),
);
