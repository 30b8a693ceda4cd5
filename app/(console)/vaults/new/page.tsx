import type { Metadata } from "next";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { CreateVaultForm } from "@/components/vaults/create-vault-form";
import { VAULT_FORM_KINDS } from "@/lib/forms/vault-form";
import { userMay } from "@/lib/auth/policy";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "New vault" };

export default async function NewVaultPage({ searchParams }: { searchParams: Promise<{ kind?: string }> }) {
  const user = await requireUser();
  const { kind } = await searchParams;
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader
        eyebrow={
          <Link href="/vaults" className="hover:text-fg hover:underline">
            Vaults
          </Link>
        }
        title="New vault"
        description="Pick what the vault is for; the form sets the reserved sandbox0.managed_agents.* metadata for you."
      />
      {userMay(user, "write") ? (
        <CreateVaultForm initialKind={VAULT_FORM_KINDS.find((candidate) => candidate === kind) ?? "llm"} />
      ) : (
        <Alert tone="info" title="Read-only">
          Your role ({user.role}) can look at vaults but not create them. Ask an owner or admin.
        </Alert>
      )}
    </div>
  );
}
