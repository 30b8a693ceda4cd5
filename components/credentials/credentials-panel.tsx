"use client";

import { useCallback, useState } from "react";
import { archiveCredentialAction, deleteCredentialAction } from "@/lib/actions/credentials";
import type { CredentialObject } from "@/lib/serializers/credentials";
import { formatDateTime } from "@/lib/format";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { DataTable, TD, TR } from "@/components/ui/table";
import { Timestamp } from "@/components/ui/timestamp";
import { useToast } from "@/components/ui/toast";
import { KeyIcon, PlusIcon } from "@/components/console/icons";
import { CREDENTIAL_TYPE_LABELS, CREDENTIAL_TYPE_SHORT_LABELS } from "@/components/credentials/credential-types";
import { CredentialSettings } from "@/components/credentials/credential-settings";
import { SecretMask } from "@/components/credentials/secret-mask";
import { withoutSearchParam } from "@/components/vaults/url-intent";
import type { VaultKind } from "@/lib/vault-kind";
import { lazyDialog } from "@/components/ui/lazy-dialog";

// The dialogs are not on the page's first paint: they load right after it (components/ui/lazy-dialog.tsx).
const AddCredentialDialog = lazyDialog(() => import("@/components/credentials/add-credential-dialog").then((module) => module.AddCredentialDialog));
const EditCredentialDialog = lazyDialog(() => import("@/components/credentials/edit-credential-dialog").then((module) => module.EditCredentialDialog));
const RotateCredentialDialog = lazyDialog(() => import("@/components/credentials/rotate-credential-dialog").then((module) => module.RotateCredentialDialog));

type Pending = { kind: "edit" | "rotate" | "archive" | "delete"; credential: CredentialObject } | null;

export function CredentialsPanel({
  vaultId,
  vaultKind,
  vaultArchived,
  credentials,
  canWrite,
  addOnArrival = false,
}: {
  vaultId: string;
  vaultKind: VaultKind;
  vaultArchived: boolean;
  credentials: CredentialObject[];
  canWrite: boolean;
  /** `?add=token` (the diagnostics' "Add the token"): the add dialog is open when the page arrives. */
  addOnArrival?: boolean;
}) {
  const active = credentials.filter((credential) => credential.archived_at === null);
  const llmFull = vaultKind === "llm" && active.length > 0;
  const canAdd = canWrite && !vaultArchived && !llmFull;
  const [adding, setAdding] = useState(addOnArrival && canAdd);
  const [pending, setPending] = useState<Pending>(null);
  const { toast } = useToast();
  const closeAdd = useCallback(() => {
    setAdding(false);
    withoutSearchParam("add");
  }, []);
  const closePending = useCallback(() => setPending(null), []);
  const name = (credential: CredentialObject) => credential.display_name ?? credential.id;

  return (
    <Card>
      <CardHeader
        id="credentials-heading"
        title="Credentials"
        description={
          vaultKind === "llm"
            ? "An LLM vault holds exactly one active credential: a static bearer token for the model endpoint."
            : `${active.length} active · at most 20 per vault`
        }
        actions={
          canAdd ? (
            <Button variant="primary" size="sm" onClick={() => setAdding(true)} icon={<PlusIcon className="size-3.5" />}>
              {vaultKind === "llm" ? "Add token" : "Add credential"}
            </Button>
          ) : null
        }
      />
      {llmFull && canWrite && !vaultArchived ? (
        <div className="px-4 pt-3">
          <Alert tone="info">This LLM vault already has its token. Rotate it to replace the secret, or archive it before adding another.</Alert>
        </div>
      ) : null}
      <div className="p-4">
        {credentials.length === 0 ? (
          <EmptyState
            icon={<KeyIcon className="size-5" />}
            title={vaultKind === "llm" ? "No model token yet" : "No credentials yet"}
            actions={
              canAdd ? (
                <Button variant="primary" onClick={() => setAdding(true)} icon={<PlusIcon className="size-4" />}>
                  {vaultKind === "llm" ? "Add the model token" : "Add a credential"}
                </Button>
              ) : null
            }
          >
            {vaultKind === "llm"
              ? "Sessions that attach this vault are not ready until it holds a token. Paste your provider API key (for example sk-ant-…); it is encrypted on save and never shown again."
              : vaultArchived
                ? "This vault is archived and takes no new credentials."
                : "Add a static bearer token for an MCP server, an MCP OAuth token, or an environment variable secret."}
          </EmptyState>
        ) : (
          <DataTable
            label="Credentials"
            columns={["Name", "Type", "Secret", "Target and settings", "Status"]}
            controls={canWrite ? "Actions" : null}
            controlsClassName="text-right"
          >
            {credentials.map((credential) => {
              const archived = credential.archived_at !== null;
              return (
                <TR key={credential.id} data-testid="credential-row">
                  <TD className="max-w-48">
                    <span className="block truncate font-medium">{credential.display_name ?? <span className="text-fg-subtle">Unnamed</span>}</span>
                    <span className="block truncate font-mono text-[11.5px] text-fg-subtle">{credential.id}</span>
                  </TD>
                  <TD className="whitespace-nowrap" title={CREDENTIAL_TYPE_LABELS[credential.auth.type]}>
                    {CREDENTIAL_TYPE_SHORT_LABELS[credential.auth.type]}
                  </TD>
                  <TD className="whitespace-nowrap">
                    <SecretMask hint={credential.token_hint} purged={archived} />
                  </TD>
                  <TD className="max-w-64">
                    <CredentialSettings credential={credential} unboundLabel={vaultKind === "llm" ? "Unbound" : "—"} />
                  </TD>
                  {/* Status and age share a column, so the row's buttons fit beside them at laptop widths. */}
                  <TD className="whitespace-nowrap">
                    {archived ? (
                      <span title={`Archived ${formatDateTime(credential.archived_at)}`}>
                        <Badge>Archived</Badge>
                      </span>
                    ) : (
                      <Badge tone="success" dot>
                        Active
                      </Badge>
                    )}
                    <Timestamp at={credential.created_at} prefix="Added" className="mt-0.5 block text-[11.5px] text-fg-subtle" />
                  </TD>
                  {canWrite ? (
                    <TD className="text-right whitespace-nowrap">
                      <div className="flex justify-end gap-0.5">
                        {!archived ? (
                          <>
                            <Button size="sm" variant="ghost" onClick={() => setPending({ kind: "edit", credential })} aria-label={`Edit ${name(credential)}`}>
                              Edit
                            </Button>
                            <Button
                              size="sm"
                              variant="ghost"
                              onClick={() => setPending({ kind: "rotate", credential })}
                              aria-label={`Rotate ${name(credential)}`}
                            >
                              Rotate
                            </Button>
                            <Button
                              size="sm"
                              variant="ghost"
                              onClick={() => setPending({ kind: "archive", credential })}
                              aria-label={`Archive ${name(credential)}`}
                            >
                              Archive
                            </Button>
                          </>
                        ) : null}
                        <Button
                          size="sm"
                          variant="danger-ghost"
                          onClick={() => setPending({ kind: "delete", credential })}
                          aria-label={`Delete ${name(credential)}`}
                        >
                          Delete
                        </Button>
                      </div>
                    </TD>
                  ) : null}
                </TR>
              );
            })}
          </DataTable>
        )}
      </div>

      {canWrite ? (
        <>
          {adding ? <AddCredentialDialog vaultId={vaultId} vaultKind={vaultKind} open onClose={closeAdd} /> : null}
          {pending?.kind === "edit" ? <EditCredentialDialog credential={pending.credential} onClose={closePending} /> : null}
          {pending?.kind === "rotate" ? <RotateCredentialDialog credential={pending.credential} onClose={closePending} /> : null}
          <ConfirmDialog
            open={pending?.kind === "archive"}
            onClose={closePending}
            title="Archive credential?"
            confirmLabel="Archive credential"
            pendingLabel="Archiving…"
            onConfirm={() => archiveCredentialAction(vaultId, pending?.credential.id ?? "")}
            onDone={() => toast("Credential archived; its secret was destroyed.")}
          >
            <p>
              <span className="font-medium text-fg">{pending ? name(pending.credential) : ""}</span> stops working at once and its secret is destroyed. The
              record stays for the audit trail{vaultKind === "llm" ? ", and the vault can take a new token" : ""}.
            </p>
          </ConfirmDialog>
          <ConfirmDialog
            open={pending?.kind === "delete"}
            onClose={closePending}
            title="Delete credential permanently?"
            confirmLabel="Delete permanently"
            pendingLabel="Deleting…"
            onConfirm={() => deleteCredentialAction(vaultId, pending?.credential.id ?? "")}
            onDone={() => toast("Credential deleted.")}
          >
            <p>
              <span className="font-medium text-fg">{pending ? name(pending.credential) : ""}</span> and its record are removed for good. This cannot be undone.
              To keep the record, archive instead.
            </p>
          </ConfirmDialog>
        </>
      ) : null}
    </Card>
  );
}
