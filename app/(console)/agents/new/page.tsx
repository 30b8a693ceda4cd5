import type { Metadata } from "next";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { AgentForm } from "@/components/agents/agent-form";
import { userMay } from "@/lib/auth/policy";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "New agent" };

export default async function NewAgentPage() {
  const user = await requireUser();
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader
        eyebrow={
          <Link href="/agents" className="hover:text-fg hover:underline">
            Agents
          </Link>
        }
        title="New agent"
        description="The model and prompt a session runs. It starts at version 1."
      />
      {userMay(user, "write") ? (
        <AgentForm />
      ) : (
        <Alert tone="info" title="Read-only">
          Your role ({user.role}) can look at agents but not create them. Ask an owner or admin.
        </Alert>
      )}
    </div>
  );
}
