import type { Metadata } from "next";
import { CreateApiKey } from "@/components/api-keys/create-api-key";
import { RevokeApiKey } from "@/components/api-keys/revoke-api-key";
import { KeyIcon } from "@/components/console/icons";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { DocsLink } from "@/components/console/docs-link";
import { DataTable, TD, TR } from "@/components/ui/table";
import { Timestamp } from "@/components/ui/timestamp";
import { userMay } from "@/lib/auth/policy";
import { requireUser } from "@/lib/auth/session";
import { listApiKeys } from "@/lib/server/api-keys";
import { listEnvironments } from "@/lib/server/environments";

export const metadata: Metadata = { title: "API keys" };

const ROLE_TONES = { owner: "accent", admin: "accent", viewer: "neutral", runtime: "info" } as const;

/** The environment picker holds at most this many; the API takes any environment id. */
const ENVIRONMENT_PICKER_LIMIT = 100;

/** What a runtime key may fetch runtime settings for; other roles are not scoped. */
function KeyScope({
  role,
  environmentId,
  environmentName,
  sessionIds,
}: {
  role: string;
  environmentId: string | null;
  environmentName?: string;
  sessionIds: string[];
}) {
  if (role !== "runtime") return <span className="text-fg-subtle">—</span>;
  if (environmentId) {
    return (
      <span>
        Environment {environmentName ? <span className="text-fg">{environmentName} </span> : null}
        <span className="font-mono">{environmentId}</span>
      </span>
    );
  }
  if (sessionIds.length === 0) return <Badge tone="warning">No scope: fetches nothing</Badge>;
  return (
    <span>
      {sessionIds.length === 1 ? "Session" : `${sessionIds.length} sessions`} <span className="font-mono break-all">{sessionIds.join(", ")}</span>
    </span>
  );
}

export default async function ApiKeysPage() {
  const user = await requireUser();
  const writable = userMay(user, "write");
  // Only display fields leave this page: the hash column is never selected into the props.
  const [apiKeys, environmentPage] = await Promise.all([listApiKeys(), listEnvironments({ limit: ENVIRONMENT_PICKER_LIMIT, includeArchived: false })]);
  const environments = environmentPage.items.map((environment) => ({ id: environment.id, name: environment.name }));
  const environmentNames = new Map(environments.map((environment) => [environment.id, environment.name]));
  const keys = apiKeys.map((key) => ({
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    role: key.role,
    createdAt: key.createdAt,
    lastUsedAt: key.lastUsedAt,
    expiresAt: key.expiresAt,
    revokedAt: key.revokedAt,
    environmentId: key.environmentId,
    scopeSessionIds: key.scopeSessionIds,
  }));
  // A server component renders once per request, so "now" is the request's time, not a value that
  // changes between renders.
  // eslint-disable-next-line react-hooks/purity
  const now = Date.now();
  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys for the official SDK (admin, viewer) and for the runtime. Shown once at creation; only a hash is stored."
        actions={
          <>
            <DocsLink section="apiKeys" />
            {writable ? <CreateApiKey environments={environments} /> : null}
          </>
        }
      />
      {keys.length === 0 ? (
        <EmptyState icon={<KeyIcon className="size-5" />} title="No API keys">
          Create one to call this console from the Anthropic SDK.
        </EmptyState>
      ) : (
        <DataTable
          label="API keys"
          columns={["Name", "Prefix", "Role", "Scope", "Created", "Last used", "Expires", "Status"]}
          controls={writable ? "Actions" : null}
        >
          {keys.map((key) => {
            const expired = key.expiresAt !== null && key.expiresAt.getTime() <= now;
            return (
              <TR key={key.id} data-testid="api-key-row">
                <TD className="font-medium">{key.name}</TD>
                <TD label="Prefix" className="font-mono text-xs text-fg-muted">
                  {key.prefix}…
                </TD>
                <TD label="Role">
                  <Badge tone={ROLE_TONES[key.role]}>{key.role}</Badge>
                </TD>
                <TD label="Scope" className="text-xs text-fg-muted" data-testid="api-key-scope">
                  <KeyScope
                    role={key.role}
                    environmentId={key.environmentId}
                    sessionIds={key.scopeSessionIds}
                    environmentName={key.environmentId ? environmentNames.get(key.environmentId) : undefined}
                  />
                </TD>
                <TD label="Created" className="text-xs whitespace-nowrap text-fg-muted">
                  <Timestamp at={key.createdAt.toISOString()} />
                </TD>
                <TD label="Last used" className="text-xs whitespace-nowrap text-fg-muted">
                  {key.lastUsedAt ? <Timestamp at={key.lastUsedAt.toISOString()} /> : "Never"}
                </TD>
                <TD label="Expires" className="text-xs whitespace-nowrap text-fg-muted">
                  {key.expiresAt ? <Timestamp at={key.expiresAt.toISOString()} /> : "Never"}
                </TD>
                <TD label="Status">
                  {key.revokedAt ? (
                    <Badge tone="danger">
                      Revoked <Timestamp at={key.revokedAt.toISOString()} />
                    </Badge>
                  ) : expired ? (
                    <Badge tone="warning">Expired</Badge>
                  ) : (
                    <Badge tone="success" dot>
                      Active
                    </Badge>
                  )}
                </TD>
                {writable ? (
                  <TD className="text-right max-sm:text-left">
                    {key.revokedAt ? null : <RevokeApiKey apiKeyId={key.id} name={key.name} prefix={key.prefix} />}
                  </TD>
                ) : null}
              </TR>
            );
          })}
        </DataTable>
      )}
    </>
  );
}
