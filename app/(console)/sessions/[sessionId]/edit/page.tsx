import type { Metadata } from "next";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { SessionForm } from "@/components/sessions/session-form";
import { userMay } from "@/lib/auth/policy";
import { requireUser } from "@/lib/auth/session";
import { getEnvironment } from "@/lib/server/environments";
import { attachedVaultOptions } from "@/lib/server/session-form-options";
import { sessionFormOptions } from "../../session-form-options";
import { loadSession } from "../load-session";

export const metadata: Metadata = { title: "Edit session" };

/**
 * `?focus=llm-vault` (the session page's "attach an LLM vault" fix) opens the form with the LLM
 * vault picker open and its search focused.
 */
export default async function EditSessionPage({
  params,
  searchParams,
}: {
  params: Promise<{ sessionId: string }>;
  searchParams: Promise<{ focus?: string | string[] }>;
}) {
  const user = await requireUser();
  const [{ sessionId }, { focus }] = await Promise.all([params, searchParams]);
  const session = await loadSession(sessionId);
  const header = (
    <PageHeader
      eyebrow={
        <Link href={`/sessions/${session.id}`} className="hover:text-fg hover:underline">
          {session.title ?? session.id}
        </Link>
      }
      title="Edit session"
      description="Change the title, metadata and attached vaults. The agent and environment stay."
    />
  );
  if (!userMay(user, "write") || session.archived_at) {
    return (
      <div className="mx-auto max-w-3xl">
        {header}
        <Alert tone="info" title="Read-only">
          {session.archived_at
            ? "This session is archived; archived sessions are read-only."
            : `Your role (${user.role}) can look at sessions but not change them.`}
        </Alert>
      </div>
    );
  }
  // The attached vaults are looked up by id, not found in the pickers' first page: a session on the
  // oldest of 1,000 vaults once showed "None", and saving its title detached the vault.
  const [options, environment, attached] = await Promise.all([
    sessionFormOptions(),
    getEnvironment(session.environment_id),
    attachedVaultOptions(session.vault_ids),
  ]);
  return (
    <div className="mx-auto max-w-3xl">
      {header}
      <SessionForm
        options={options}
        focusLlmVault={focus === "llm-vault"}
        initial={{
          sessionId: session.id,
          agentLabel: `${session.agent.name} · version ${session.agent.version}`,
          environmentLabel: environment.name,
          title: session.title ?? "",
          metadata: Object.entries(session.metadata).map(([key, value]) => ({ key, value })),
          llmVault: attached.llm,
          otherVaults: attached.others,
          unavailableVaultIds: attached.unavailable,
        }}
      />
    </div>
  );
}
