import { z } from "zod";

/** Roles a key made in the console may have; `owner` keys come only from the bootstrap. */
export const API_KEY_CREATE_ROLES = ["admin", "viewer", "runtime"] as const;

export const API_KEY_ROLE_DESCRIPTIONS: Record<(typeof API_KEY_CREATE_ROLES)[number] | "owner", string> = {
  owner: "Read and write (bootstrap key)",
  admin: "Read and write every resource",
  viewer: "Read only",
  runtime: "Runtime routes only",
};

export const apiKeyCreateSchema = z.object({
  name: z.string().trim().min(1, "is required").max(100, "must be at most 100 characters"),
  role: z.enum(API_KEY_CREATE_ROLES, { error: "must be admin, viewer or runtime" }),
  /** A calendar date (YYYY-MM-DD); the key stops working at the end of that day, UTC. Empty: never. */
  expires_on: z
    .string()
    .trim()
    .optional()
    .transform((value, context) => {
      if (!value) return null;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T23:59:59.999Z`))) {
        context.addIssue({ code: "custom", message: "must be a date such as 2027-01-31" });
        return z.NEVER;
      }
      const expiresAt = new Date(`${value}T23:59:59.999Z`);
      if (expiresAt.getTime() <= Date.now()) {
        context.addIssue({ code: "custom", message: "must be today or later" });
        return z.NEVER;
      }
      return expiresAt;
    }),
});

export type ApiKeyCreateInput = z.output<typeof apiKeyCreateSchema>;
