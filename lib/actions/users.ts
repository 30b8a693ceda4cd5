"use server";

import { revalidatePath } from "next/cache";
import { actionError, errorToFormState } from "@/lib/actions/form-errors";
import { fieldErrorState, formErrorState, formText, successState, type ActionResult, type FormState } from "@/lib/actions/form-state";
import { authorizeAction } from "@/lib/auth/session";
import { changeUserRole, createUser, setUserDisabled } from "@/lib/server/users";
import { validateInput } from "@/lib/validation/parse";
import { userCreateSchema, userRoleUpdateSchema } from "@/lib/validation/users";

export async function createUserAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const authorized = await authorizeAction("manage_users");
  if (!authorized.ok) return formErrorState(authorized.error);
  const input = validateInput(userCreateSchema, {
    name: formText(formData, "name"),
    email: formText(formData, "email"),
    password: formText(formData, "password"),
    role: formText(formData, "role"),
  });
  if (!input.ok) return fieldErrorState(input.issues);
  try {
    await createUser(input.data, authorized.context);
  } catch (error) {
    return errorToFormState(error);
  }
  revalidatePath("/users");
  return successState();
}

export async function changeUserRoleAction(userId: string, role: string): Promise<ActionResult> {
  const authorized = await authorizeAction("manage_users");
  if (!authorized.ok) return authorized;
  const input = validateInput(userRoleUpdateSchema, { role });
  if (!input.ok) return { ok: false, error: `Role ${input.issues[0]?.message ?? "is invalid"}` };
  try {
    await changeUserRole(userId, input.data.role, authorized.context);
  } catch (error) {
    return actionError(error);
  }
  revalidatePath("/users");
  return { ok: true };
}

export async function setUserDisabledAction(userId: string, disabled: boolean): Promise<ActionResult> {
  const authorized = await authorizeAction("manage_users");
  if (!authorized.ok) return authorized;
  try {
    await setUserDisabled(userId, disabled === true, authorized.context);
  } catch (error) {
    return actionError(error);
  }
  revalidatePath("/users");
  return { ok: true };
}
