"use client";

import { useCallback, useState } from "react";
import { Button } from "@/components/ui/button";
import { EditVaultDialog, type EditableVault } from "@/components/vaults/edit-vault-dialog";
import { withoutSearchParam } from "@/components/vaults/url-intent";

/** "Edit vault" on the vault page; `?edit=vault` (a diagnostics fix button) opens it on arrival. */
export function EditVaultButton({ vault, initiallyOpen }: { vault: EditableVault; initiallyOpen: boolean }) {
  const [open, setOpen] = useState(initiallyOpen);
  const close = useCallback(() => {
    setOpen(false);
    withoutSearchParam("edit");
  }, []);
  return (
    <>
      <Button onClick={() => setOpen(true)}>Edit vault</Button>
      {open ? <EditVaultDialog vault={vault} onClose={close} /> : null}
    </>
  );
}
