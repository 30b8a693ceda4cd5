"use client";

import { useCallback, useState } from "react";
import { Button } from "@/components/ui/button";
import { lazyDialog } from "@/components/ui/lazy-dialog";
import type { EditableVault } from "@/components/vaults/edit-vault-dialog";
import { withoutSearchParam } from "@/components/vaults/url-intent";

// The form and its metadata editor load right after the page, not with it.
const EditVaultDialog = lazyDialog(() => import("@/components/vaults/edit-vault-dialog").then((module) => module.EditVaultDialog));

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
