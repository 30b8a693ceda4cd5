"use client";

import { useActionState, useId, useState } from "react";
import { archiveVaultAction, deleteVaultAction } from "@/lib/actions/vaults";
import { INITIAL_FORM_STATE, type FormState } from "@/lib/actions/form-state";
import { ActionForm } from "@/components/forms/action-form";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { describedBy, Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";

function DeleteVaultDialog({ vaultId, vaultName, onClose }: { vaultId: string; vaultName: string; onClose: () => void }) {
  const [state, action, pending] = useActionState<FormState, FormData>(deleteVaultAction, INITIAL_FORM_STATE);
  const [typed, setTyped] = useState("");
  const id = useId();
  const error = state.fieldErrors.confirm_name ?? null;
  return (
    <Dialog open onClose={onClose} title="Delete vault permanently?" size="sm">
      <ActionForm action={action} className="space-y-4" aria-label="Delete vault">
        <input type="hidden" name="vault_id" value={vaultId} />
        <p className="text-sm text-fg-muted">
          This permanently deletes <span className="font-medium text-fg">{vaultName}</span> and every credential in it, including their records.
          It cannot be undone. Sessions that reference the vault block the delete; archive it instead to keep the history.
        </p>
        <Field id={id} label={<>Type <span className="font-mono">{vaultName}</span> to confirm</>} error={error}>
          <Input
            id={id}
            name="confirm_name"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            autoComplete="off"
            spellCheck={false}
            autoFocus
            invalid={Boolean(error)}
            aria-describedby={describedBy(id, { error })}
          />
        </Field>
        <FormError message={error ? null : state.formError} />
        <DialogActions>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" pending={pending} disabled={typed !== vaultName}>
            {pending ? "Deleting…" : "Delete vault"}
          </Button>
        </DialogActions>
      </ActionForm>
    </Dialog>
  );
}

export function VaultActions({ vaultId, vaultName, archived }: { vaultId: string; vaultName: string; archived: boolean }) {
  const [open, setOpen] = useState<"archive" | "delete" | null>(null);
  const { toast } = useToast();
  return (
    <>
      {!archived ? (
        <Button onClick={() => setOpen("archive")}>Archive vault</Button>
      ) : null}
      <Button variant="danger-ghost" onClick={() => setOpen("delete")}>
        Delete vault
      </Button>
      <ConfirmDialog
        open={open === "archive"}
        onClose={() => setOpen(null)}
        title="Archive vault?"
        confirmLabel="Archive vault"
        pendingLabel="Archiving…"
        onConfirm={() => archiveVaultAction(vaultId)}
        onDone={() => toast("Vault archived; its credentials' secrets were destroyed.")}
      >
        <p>
          Every active credential in <span className="font-medium text-fg">{vaultName}</span> is archived and its secret destroyed. The vault becomes
          read-only, takes no new credentials and can no longer be attached to a session. The records stay for the audit trail.
        </p>
      </ConfirmDialog>
      {open === "delete" ? <DeleteVaultDialog vaultId={vaultId} vaultName={vaultName} onClose={() => setOpen(null)} /> : null}
    </>
  );
}
