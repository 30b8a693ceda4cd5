import type { Metadata } from "next";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { DocsLink } from "@/components/console/docs-link";
import { DataTable, TD, TR } from "@/components/ui/table";
import { Timestamp } from "@/components/ui/timestamp";
import { CreateUser } from "@/components/users/create-user";
import { UserDisableButton, UserRoleSelect } from "@/components/users/user-row-actions";
import { userMay } from "@/lib/auth/policy";
import { requireUser } from "@/lib/auth/session";
import { keysRevokedOnDisable, type KeyRevokedOnDisable } from "@/lib/server/api-keys";
import { listUsers } from "@/lib/server/users";
import { USER_ROLE_DESCRIPTIONS, USER_ROLE_LABELS } from "@/lib/validation/users";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const user = await requireUser();
  const manage = userMay(user, "manage_users");
  // Display fields only: the password hash never reaches a page.
  const users = (await listUsers()).map((row) => ({
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    createdAt: row.createdAt,
    lastSignInAt: row.lastSignInAt,
    disabledAt: row.disabledAt,
  }));
  // What the disable confirmation lists: the keys each active user made, which disabling revokes.
  const keysByUser = manage
    ? await keysRevokedOnDisable(users.filter((row) => !row.disabledAt).map((row) => row.id))
    : new Map<string, KeyRevokedOnDisable[]>();
  return (
    <>
      <PageHeader
        title="Users"
        description="People who sign in to this console. Owners manage users; admins manage everything else; viewers read."
        actions={
          <>
            <DocsLink section="users" />
            {manage ? <CreateUser /> : null}
          </>
        }
      />
      {manage ? null : (
        <Alert tone="info" className="mb-4">
          Only owners can add users, change roles or disable accounts.
        </Alert>
      )}
      <DataTable label="Users" columns={["User", "Role", "Created", "Last sign-in", "Status"]} controls={manage ? "Actions" : null}>
        {users.map((row) => (
          <TR key={row.id} data-testid="user-row">
            <TD>
              <span className="block font-medium">
                {row.name ?? row.email}
                {row.id === user.id ? <span className="ml-1.5 text-xs font-normal text-fg-subtle">(you)</span> : null}
              </span>
              {row.name ? <span className="block text-xs text-fg-muted">{row.email}</span> : null}
            </TD>
            <TD label="Role">
              {manage ? (
                <UserRoleSelect userId={row.id} email={row.email} role={row.role} />
              ) : (
                <span title={USER_ROLE_DESCRIPTIONS[row.role]}>
                  <Badge tone={row.role === "viewer" ? "neutral" : "accent"}>{USER_ROLE_LABELS[row.role]}</Badge>
                </span>
              )}
            </TD>
            <TD label="Created" className="text-xs whitespace-nowrap text-fg-muted">
              <Timestamp at={row.createdAt.toISOString()} />
            </TD>
            <TD label="Last sign-in" className="text-xs whitespace-nowrap text-fg-muted">
              {row.lastSignInAt ? <Timestamp at={row.lastSignInAt.toISOString()} /> : "Never"}
            </TD>
            <TD label="Status">
              {row.disabledAt ? (
                <Badge tone="warning">Disabled</Badge>
              ) : (
                <Badge tone="success" dot>
                  Active
                </Badge>
              )}
            </TD>
            {manage ? (
              <TD className="text-right max-sm:text-left">
                {row.id === user.id ? null : (
                  <UserDisableButton
                    userId={row.id}
                    email={row.email}
                    disabled={row.disabledAt !== null}
                    keysRevoked={(keysByUser.get(row.id) ?? []).map((key) => ({
                      id: key.id,
                      name: key.name,
                      prefix: key.prefix,
                      role: key.role,
                    }))}
                  />
                )}
              </TD>
            ) : null}
          </TR>
        ))}
      </DataTable>
    </>
  );
}
