import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { PageHeader } from "@/components/ui/page-header";
import { EnvironmentActions } from "@/components/environments/environment-actions";
import { EnvironmentForm } from "@/components/environments/environment-form";
import { canWrite } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { ConsoleError } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { getEnvironment } from "@/lib/server/environments";
import { serializeEnvironment } from "@/lib/validation/environments";

type Params = Promise<{ environmentId: string }>;
const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { environmentId } = await params;
  return { title: ID_PATTERN.test(environmentId) ? environmentId : "Environment" };
}

async function loadEnvironment(environmentId: string) {
  if (!ID_PATTERN.test(environmentId)) notFound();
  try {
    return serializeEnvironment(await getEnvironment(environmentId));
  } catch (error) {
    if (error instanceof ConsoleError && error.type === "not_found_error") notFound();
    throw error;
  }
}

function Setting({ label, children, mono }: { label: string; children: ReactNode; mono?: boolean }) {
  return (
    <div className="grid content-start gap-1 border-b border-border py-2.5 last:border-b-0 sm:border-b-0">
      <dt className="text-xs text-fg-muted">{label}</dt>
      <dd className={mono ? "min-w-0 font-mono text-[13px] break-all" : "min-w-0 text-sm"}>{children}</dd>
    </div>
  );
}

export default async function EnvironmentPage({ params }: { params: Params }) {
  const user = await requireUser();
  const environment = await loadEnvironment((await params).environmentId);
  const archived = environment.archived_at !== null;
  const writable = canWrite(user.role);
  const networking = environment.config.networking;
  const metadata = Object.entries(environment.metadata);

  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/environments" className="hover:text-fg hover:underline">
            Environments
          </Link>
        }
        title={environment.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            {networking.type === "limited" ? <Badge tone="info">Limited networking</Badge> : <Badge>Unrestricted networking</Badge>}
            {archived ? <Badge tone="warning">Archived {formatDateTime(environment.archived_at)}</Badge> : null}
            <span className="font-mono text-xs">{environment.id}</span>
            <CopyButton text={environment.id} label="Copy id" variant="ghost" />
          </span>
        }
        actions={writable ? <EnvironmentActions environmentId={environment.id} environmentName={environment.name} archived={archived} /> : null}
      />
      {archived ? (
        <Alert tone="warning" className="mb-5" title="This environment is archived">
          It is read-only and starts no new sessions.
        </Alert>
      ) : null}
      {writable && !archived ? (
        <EnvironmentForm
          initial={{
            environmentId: environment.id,
            name: environment.name,
            description: environment.description ?? "",
            networking: networking.type,
            allowedHosts: networking.type === "limited" ? networking.allowed_hosts : [],
            metadata: metadata.map(([key, value]) => ({ key, value })),
          }}
        />
      ) : (
        <Card>
          <CardHeader title="Settings" />
          <CardBody className="py-1">
            <dl className="grid gap-x-8 sm:grid-cols-2">
              <Setting label="Description">{environment.description ?? <span className="text-fg-subtle">None</span>}</Setting>
              <Setting label="Allowed hosts" mono>
                {networking.type === "limited" ? networking.allowed_hosts.join(", ") || "None" : "Any host"}
              </Setting>
              <Setting label="Created">{formatDateTime(environment.created_at)}</Setting>
              <Setting label="Updated">{formatDateTime(environment.updated_at)}</Setting>
              <Setting label="Metadata">
                {metadata.length === 0 ? (
                  <span className="text-fg-subtle">None</span>
                ) : (
                  <ul className="space-y-1">
                    {metadata.map(([key, value]) => (
                      <li key={key} className="font-mono text-[12.5px] break-all">
                        <span className="text-fg-muted">{key}</span> = {value}
                      </li>
                    ))}
                  </ul>
                )}
              </Setting>
            </dl>
          </CardBody>
        </Card>
      )}
    </>
  );
}
