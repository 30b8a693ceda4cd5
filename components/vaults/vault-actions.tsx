"use client";

import { useState } from "react";
import { archiveVaultAction, deleteVaultAction } from "@/lib/actions/vaults";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { TypedConfirmDeleteDialog } from "@/components/ui/typed-confirm-delete-dialog";
import { useToast } from "@/components/ui/toast";

function DeleteVaultDialog({ vaultId, vaultName, onClose }: { vaultId: string; vaultName: string; onClose: () => void }) {
  return (
    <TypedConfirmDeleteDialog
      noun="vault"
      action={deleteVaultAction}
      hiddenFields={{ vault_id: vaultId }}
      confirmField="confirm_name"
      expected={vaultName}
      onClose={onClose}
    >
      This permanently deletes <span className="font-medium text-fg">{vaultName}</span> and every credential in it, including their records.
      It cannot be undone. Sessions that reference the vault block the delete; archive it instead to keep the history.
    </TypedConfirmDeleteDialog>
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
