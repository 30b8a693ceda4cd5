import type { Metadata } from "next";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { PageHeader } from "@/components/ui/page-header";
import { Setting } from "@/components/ui/setting";
import { EnvironmentActions } from "@/components/environments/environment-actions";
import { EnvironmentForm } from "@/components/environments/environment-form";
import { userMay } from "@/lib/auth/policy";
import { requireUser } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format";
import { loadOrNotFound, resourceTitle } from "@/lib/page-resource";
import { getEnvironment } from "@/lib/server/environments";
import { serializeEnvironment } from "@/lib/serializers/environments";

type Params = Promise<{ environmentId: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: resourceTitle((await params).environmentId, "Environment") };
}

export default async function EnvironmentPage({ params }: { params: Params }) {
  const user = await requireUser();
  const environment = await loadOrNotFound((await params).environmentId, async (id) => serializeEnvironment(await getEnvironment(id)));
  const archived = environment.archived_at !== null;
  const writable = userMay(user, "write");
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
