"use client";

import * as RadixAlertDialog from "@radix-ui/react-alert-dialog";
import type { ReactNode } from "react";
import { cn } from "@/lib/cn";
import "@/components/ui/style-nonce";
import { CONTENT_CLASS, OVERLAY_CLASS } from "@/components/ui/dialog";
import { useDialogFocus } from "@/components/ui/dialog-focus";

/**
 * The frame of a confirmation (Radix AlertDialog, role `alertdialog`): a click outside never
 * dismisses it, Escape does; focus lands on its field if it has one, else on Cancel (the
 * harmless choice), and goes back to the opener on close. The body is read out as its description.
 */
export function AlertDialogFrame({ open, onClose, title, children }: { open: boolean; onClose: () => void; title: ReactNode; children: ReactNode }) {
  const focus = useDialogFocus(open);
  return (
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
  );
}

/** What the confirmation is about, linked to the dialog as its accessible description. */
export function AlertDialogBody({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <RadixAlertDialog.Description asChild>
      <div className={cn("text-sm text-fg-muted", className)}>{children}</div>
    </RadixAlertDialog.Description>
  );
}

/** Cancel, wired to close the dialog; Radix focuses it when the dialog has no field. */
export const AlertDialogCancel = RadixAlertDialog.Cancel;
