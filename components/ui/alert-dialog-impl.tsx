"use client";

import * as RadixAlertDialog from "@radix-ui/react-alert-dialog";
import type { ReactNode } from "react";
import { cn } from "@/lib/cn";
import "@/components/ui/style-nonce";
import { RadixAlertDialogContext } from "@/components/ui/alert-dialog";
import { CONTENT_CLASS, OVERLAY_CLASS } from "@/components/ui/dialog";
import { useDialogFocus } from "@/components/ui/dialog-focus";

/**
 * components/ui/alert-dialog.tsx's frame, loaded when the first confirmation opens: Radix
 * AlertDialog, handed down (a context) to the body and Cancel button the caller put inside it.
 */
export default function AlertDialogImpl({ open, onClose, title, children }: { open: boolean; onClose: () => void; title: ReactNode; children: ReactNode }) {
  const focus = useDialogFocus(open);
  return (
    <RadixAlertDialogContext.Provider value={RadixAlertDialog}>
      <RadixAlertDialog.Root
        open={open}
        onOpenChange={(next) => {
          if (!next) onClose();
        }}
      >
        <RadixAlertDialog.Portal>
          <RadixAlertDialog.Overlay className={OVERLAY_CLASS} />
          <RadixAlertDialog.Content className={cn(CONTENT_CLASS, "max-w-md")} {...focus}>
            <RadixAlertDialog.Title className="mb-3 text-base font-semibold">{title}</RadixAlertDialog.Title>
            {children}
          </RadixAlertDialog.Content>
        </RadixAlertDialog.Portal>
      </RadixAlertDialog.Root>
    </RadixAlertDialogContext.Provider>
  );
}
