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

export default async function EditSessionPage({ params }: { params: Promise<{ sessionId: string }> }) {
  const user = await requireUser();
  const { sessionId } = await params;
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
  // The attached vaults are looked up by id and always offered: a session on the oldest of 1,000
  // vaults once showed "None", and saving its title detached the vault.
  const [listed, environment, attached] = await Promise.all([sessionFormOptions(), getEnvironment(session.environment_id), attachedVaultOptions(session.vault_ids)]);
  const options = {
    ...listed,
    llmVaults: attached.llm ? [attached.llm, ...listed.llmVaults.filter((vault) => vault.id !== attached.llm?.id)] : listed.llmVaults,
    otherVaults: [...attached.others, ...listed.otherVaults.filter((vault) => !attached.others.some((other) => other.id === vault.id))],
  };
  const llmIds = new Set(options.llmVaults.map((vault) => vault.id));
  const otherIds = new Set(options.otherVaults.map((vault) => vault.id));
  return (
    <div className="mx-auto max-w-3xl">
      {header}
      <SessionForm
        options={options}
        initial={{
          sessionId: session.id,
          agentLabel: `${session.agent.name} · version ${session.agent.version}`,
          environmentLabel: environment.name,
          title: session.title ?? "",
          metadata: Object.entries(session.metadata).map(([key, value]) => ({ key, value })),
          llmVaultId: session.vault_ids.find((vaultId) => llmIds.has(vaultId)) ?? "",
          otherVaultIds: session.vault_ids.filter((vaultId) => otherIds.has(vaultId)),
          unavailableVaultIds: session.vault_ids.filter((vaultId) => !llmIds.has(vaultId) && !otherIds.has(vaultId)),
        }}
      />
    </div>
  );
}
