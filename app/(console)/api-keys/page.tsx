import type { Metadata } from "next";
import { CreateApiKey } from "@/components/api-keys/create-api-key";
import { RevokeApiKey } from "@/components/api-keys/revoke-api-key";
import { KeyIcon } from "@/components/console/icons";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { canWrite } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { formatDate, formatDateTime } from "@/lib/format";
import { listApiKeys } from "@/lib/server/api-keys";

export const metadata: Metadata = { title: "API keys" };

const ROLE_TONES = { owner: "accent", admin: "accent", viewer: "neutral", runtime: "info" } as const;

export default async function ApiKeysPage() {
  const user = await requireUser();
  const writable = canWrite(user.role);
  // Only display fields leave this page: the hash column is never selected into the props.
  const keys = (await listApiKeys()).map((key) => ({
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    role: key.role,
    createdAt: key.createdAt,
    lastUsedAt: key.lastUsedAt,
    expiresAt: key.expiresAt,
    revokedAt: key.revokedAt,
  }));
  const now = Date.now();
  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys for the official SDK (admin, viewer) and for the runtime. Shown once at creation; only a hash is stored."
        actions={writable ? <CreateApiKey /> : null}
      />
      {keys.length === 0 ? (
        <EmptyState icon={<KeyIcon className="size-5" />} title="No API keys">
          Create one to call this console from the Anthropic SDK.
        </EmptyState>
      ) : (
        <Table label="API keys">
          <THead>
            <tr>
              <TH>Name</TH>
              <TH>Prefix</TH>
              <TH>Role</TH>
              <TH>Created</TH>
              <TH>Last used</TH>
              <TH>Expires</TH>
              <TH>Status</TH>
              {writable ? (
                <TH>
                  <span className="sr-only">Actions</span>
                </TH>
              ) : null}
            </tr>
          </THead>
          <TBody>
            {keys.map((key) => {
              const expired = key.expiresAt !== null && key.expiresAt.getTime() <= now;
              return (
                <TR key={key.id} data-testid="api-key-row">
                  <TD className="font-medium">{key.name}</TD>
                  <TD className="font-mono text-xs text-fg-muted">{key.prefix}…</TD>
                  <TD>
                    <Badge tone={ROLE_TONES[key.role]}>{key.role}</Badge>
                  </TD>
                  <TD className="text-xs whitespace-nowrap text-fg-muted">{formatDateTime(key.createdAt)}</TD>
                  <TD className="text-xs whitespace-nowrap text-fg-muted">{key.lastUsedAt ? formatDateTime(key.lastUsedAt) : "Never"}</TD>
                  <TD className="text-xs whitespace-nowrap text-fg-muted">{key.expiresAt ? formatDate(key.expiresAt) : "Never"}</TD>
                  <TD>
                    {key.revokedAt ? (
                      <Badge tone="danger">Revoked {formatDate(key.revokedAt)}</Badge>
                    ) : expired ? (
                      <Badge tone="warning">Expired</Badge>
                    ) : (
                      <Badge tone="success" dot>
                        Active
                      </Badge>
                    )}
                  </TD>
                  {writable ? (
                    <TD className="text-right">{key.revokedAt ? null : <RevokeApiKey apiKeyId={key.id} name={key.name} prefix={key.prefix} />}</TD>
                  ) : null}
                </TR>
              );
            })}
          </TBody>
        </Table>
      )}
    </>
  );
}
