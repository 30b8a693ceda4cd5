"use client";

import { useState } from "react";
import { updateVaultAction } from "@/lib/actions/vaults";
import { reservedPairCount } from "@/lib/forms/vault-form";
import type { MetadataRow } from "@/lib/forms/metadata-rows";
import { DEFAULT_LLM_BASE_URL } from "@/lib/validation/reserved-keys";
import type { VaultKind } from "@/lib/vault-kind";
import { ActionForm } from "@/components/forms/action-form";
import { DialogFormFooter } from "@/components/forms/dialog-form-footer";
import { TextField } from "@/components/forms/text-field";
import { useDialogFormAction } from "@/components/forms/use-dialog-form-action";
import { useLiveErrors } from "@/components/forms/use-live-errors";
import { Dialog } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { HTTP_HEADER_VAULT_LABELS, HttpHeaderVaultFields, type HttpHeaderVaultValues } from "@/components/vaults/http-header-vault-fields";
import { MetadataEditor } from "@/components/vaults/metadata-editor";

const LABELS: Record<string, string> = {
  display_name: "Name",
  base_url: "Base URL",
  ...HTTP_HEADER_VAULT_LABELS,
  kind: "Kind",
  engine: "Engine",
};

export interface EditableVault extends HttpHeaderVaultValues {
  id: string;
  kind: VaultKind;
  displayName: string;
  /** The stored llm_base_url; empty when the default applies. */
  baseUrl: string;
  /** The active credential that holds the endpoint in place, if any. */
  boundCredentialName: string | null;
  userMetadata: MetadataRow[];
}

/**
 * Everything editable about a vault, in one dialog on its page. The role and engine never change.
 * An LLM vault's base URL is locked while it holds a token (the token was stored for that endpoint,
 * SPEC §3); the field says what to do instead of failing on save.
 */
export function EditVaultDialog({ vault, onClose }: { vault: EditableVault; onClose: () => void }) {
  const { toast } = useToast();
  const { state, dispatch, pending } = useDialogFormAction(updateVaultAction, () => {
    toast("Vault saved.");
    onClose();
  });
  const live = useLiveErrors(state, { metadata_key: "metadata", metadata_value: "metadata" });
  const [baseUrl, setBaseUrl] = useState(vault.baseUrl);
  const error = (field: string) => (live.fieldErrors[field] ? `${LABELS[field] ?? field} ${live.fieldErrors[field]}` : null);
  const endpointLocked = vault.kind === "llm" && vault.boundCredentialName !== null;

  return (
    <Dialog
      open
      onClose={onClose}
      size="lg"
      title="Edit vault"
      description="Changes apply at once; sessions that attach this vault use them from their next request."
    >
      <ActionForm action={dispatch} onInput={live.onInput} className="space-y-4" aria-label="Edit vault">
        <input type="hidden" name="vault_id" value={vault.id} />
        <TextField
          name="display_name"
          label="Name"
          error={error("display_name")}
          defaultValue={vault.displayName}
          autoComplete="off"
          data-autofocus
          autoFocus
        />
        {vault.kind === "llm" ? (
          <>
            <TextField
              name="base_url"
              label="Base URL"
              optional
              error={error("base_url")}
              hint={
                endpointLocked
                  ? `Locked while the vault holds its token (${vault.boundCredentialName}), which was stored for this endpoint only. To move the vault: archive the token, change the URL here, then add the token for the new endpoint.`
                  : `Left empty, ${DEFAULT_LLM_BASE_URL} applies. Must be an Anthropic-compatible https endpoint.`
              }
              type="url"
              inputMode="url"
              placeholder={DEFAULT_LLM_BASE_URL}
              value={baseUrl}
              onChange={(event) => setBaseUrl(event.target.value)}
              readOnly={endpointLocked}
              autoComplete="off"
              spellCheck={false}
              className="font-mono text-[13px]"
            />
          </>
        ) : null}
        {vault.kind === "credential" ? <HttpHeaderVaultFields values={vault} error={error} /> : null}
        <div className="border-t border-border pt-4">
          <MetadataEditor
            reservedCount={vault.kind === "other" ? 0 : reservedPairCount(vault.kind, baseUrl.trim() !== "")}
            serverErrors={live.fieldErrors}
            initialRows={vault.userMetadata}
          />
        </div>
        <DialogFormFooter formError={live.formError} onCancel={onClose} pending={pending} submit={["Save vault", "Saving…"]} />
      </ActionForm>
    </Dialog>
  );
}
