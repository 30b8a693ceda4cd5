"use server";

import { z } from "zod";
import { buttonAction, formAction } from "@/lib/actions/action";
import { formText } from "@/lib/forms/form-state";
import { changeUserRole, createUser, setUserDisabled } from "@/lib/server/users";
import { userCreateSchema, userRoleUpdateSchema } from "@/lib/validation/users";

export const createUserAction = formAction(
  "manage_users",
  userCreateSchema,
  (formData) => ({
    input: {
      name: formText(formData, "name"),
      email: formText(formData, "email"),
      password: formText(formData, "password"),
      role: formText(formData, "role"),
    },
  }),
  (input, { context }) => createUser(input, context),
  { revalidate: ["/users"] },
);

export const changeUserRoleAction = buttonAction(
  "manage_users",
  userRoleUpdateSchema.extend({ userId: z.string() }),
  (userId: string, role: string) => ({ userId, role }),
  ({ userId, role }, { context }) => changeUserRole(userId, role, context),
  { revalidate: () => ["/users"] },
);

export const setUserDisabledAction = buttonAction(
  "manage_users",
  z.object({ userId: z.string(), disabled: z.boolean() }),
  (userId: string, disabled: boolean) => ({ userId, disabled }),
  ({ userId, disabled }, { context }) => setUserDisabled(userId, disabled, context),
  { revalidate: () => ["/users"] },
);
