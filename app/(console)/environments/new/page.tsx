import type { Metadata } from "next";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { EnvironmentForm } from "@/components/environments/environment-form";
import { userMay } from "@/lib/auth/policy";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "New environment" };

export default async function NewEnvironmentPage() {
  const user = await requireUser();
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader
        eyebrow={
          <Link href="/environments" className="hover:text-fg hover:underline">
            Environments
          </Link>
        }
        title="New environment"
        description="A cloud environment: where the runtime runs and which hosts it may reach."
      />
      {userMay(user, "write") ? (
        <EnvironmentForm />
      ) : (
        <Alert tone="info" title="Read-only">
          Your role ({user.role}) can look at environments but not create them. Ask an owner or admin.
        </Alert>
      )}
    </div>
  );
}
