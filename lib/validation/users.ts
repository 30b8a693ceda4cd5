import { z } from "zod";

import { PASSWORD_MAX, PASSWORD_MIN, USER_ROLE_DESCRIPTIONS, USER_ROLE_LABELS, USER_ROLES, type UserRoleValue } from "@/lib/validation/limits";

export { PASSWORD_MAX, PASSWORD_MIN, USER_ROLE_DESCRIPTIONS, USER_ROLE_LABELS, USER_ROLES, type UserRoleValue };

/** Emails are the sign-in identity: trimmed and lowercased so `Ann@X.com` and `ann@x.com` are one user. */
export const emailSchema = z
  .string({ error: "is required" })
  .trim()
  .toLowerCase()
  .min(1, "is required")
  .max(254, "must be at most 254 characters")
  .pipe(z.email("must be an email address such as ann@example.com"));

/** A new password. Not trimmed: spaces are part of a passphrase. */
export const newPasswordSchema = z
  .string({ error: "is required" })
  .min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`);

export const signInSchema = z.object({
  email: emailSchema,
  // Any length is checked against the hash; only absurd input is refused before hashing.
  password: z.string({ error: "is required" }).min(1, "is required").max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`),
});

const userNameSchema = z
  .string()
  .trim()
  .max(255, "must be at most 255 characters")
  .transform((value) => (value === "" ? null : value));

export const setupSchema = z
  .object({
    name: userNameSchema.optional(),
    email: emailSchema,
    password: newPasswordSchema,
    password_confirmation: z.string(),
  })
  .refine((input) => input.password === input.password_confirmation, {
    path: ["password_confirmation"],
    message: "does not match the password",
  });

export const userCreateSchema = z.object({
  name: userNameSchema.optional(),
  email: emailSchema,
  password: newPasswordSchema,
  role: z.enum(USER_ROLES, { error: "must be owner, admin or viewer" }),
});

export const userRoleUpdateSchema = z.object({
  role: z.enum(USER_ROLES, { error: "must be owner, admin or viewer" }),
});

/** A signed-in user changing their own password (the account page). */
export const passwordChangeSchema = z
  .object({
    // Checked against the stored hash, like a sign-in: any length up to the cap.
    current_password: z.string({ error: "is required" }).min(1, "is required").max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`),
    password: newPasswordSchema,
    password_confirmation: z.string(),
  })
  .refine((input) => input.password === input.password_confirmation, {
    path: ["password_confirmation"],
    message: "does not match the new password",
  })
  .refine((input) => input.password !== input.current_password, {
    path: ["password"],
    message: "must differ from the current password",
  });

export type SignInInput = z.output<typeof signInSchema>;
export type SetupInput = z.output<typeof setupSchema>;
export type UserCreateInput = z.output<typeof userCreateSchema>;
export type PasswordChangeInput = z.output<typeof passwordChangeSchema>;
