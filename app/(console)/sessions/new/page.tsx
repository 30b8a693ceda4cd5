import type { Metadata } from "next";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { SessionForm } from "@/components/sessions/session-form";
import { userMay } from "@/lib/auth/policy";
import { requireUser } from "@/lib/auth/session";
import { sessionFormOptions } from "../session-form-options";

export const metadata: Metadata = { title: "New session" };

export default async function NewSessionPage() {
  const user = await requireUser();
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader
        eyebrow={
          <Link href="/sessions" className="hover:text-fg hover:underline">
            Sessions
          </Link>
        }
        title="New session"
        description="An agent, an environment and exactly one LLM vault make a ready session."
      />
      {userMay(user, "write") ? (
        <SessionForm options={await sessionFormOptions()} />
      ) : (
        <Alert tone="info" title="Read-only">
          Your role ({user.role}) can look at sessions but not create them. Ask an owner or admin.
        </Alert>
      )}
    </div>
  );
}
