import type { UserRoleValue } from "@/lib/validation/users";

/** Owners and admins change things; viewers only read (and never see a secret either way). */
export function canWrite(role: UserRoleValue): boolean {
  return role === "owner" || role === "admin";
}

/** Only owners manage users. */
export function canManageUsers(role: UserRoleValue): boolean {
  return role === "owner";
}
