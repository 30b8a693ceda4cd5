import type { Metadata } from "next";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { DocsLink } from "@/components/console/docs-link";
import { Setting } from "@/components/ui/setting";
import { requireUser } from "@/lib/auth/session";
import { PASSWORD_MIN, USER_ROLE_DESCRIPTIONS, USER_ROLE_LABELS } from "@/lib/validation/users";

export const metadata: Metadata = { title: "Account" };

/** The signed-in user's own account: who they are, and their password. */
export default async function AccountPage() {
  const user = await requireUser();
  return (
    <>
      <PageHeader
        title="Account"
        description="How you sign in to this console. Owners change roles on the Users page."
        actions={<DocsLink section="account" />}
      />
      <div className="space-y-5">
        <Card>
          <CardHeader title="Profile" />
          <CardBody>
            <dl className="grid gap-x-6 sm:grid-cols-3">
              <Setting label="Email">{user.email}</Setting>
              <Setting label="Name">{user.name ?? "—"}</Setting>
              <Setting label="Role">
                <span title={USER_ROLE_DESCRIPTIONS[user.role]}>
                  <Badge tone={user.role === "viewer" ? "neutral" : "accent"}>{USER_ROLE_LABELS[user.role]}</Badge>
                </span>
              </Setting>
            </dl>
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Change password" description="Every other browser signed in as you is signed out at once; this one stays signed in." />
          <CardBody>
            <ChangePasswordForm passwordMin={PASSWORD_MIN} />
          </CardBody>
        </Card>
      </div>
    </>
  );
}
