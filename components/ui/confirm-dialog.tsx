"use client";

import { useState, useTransition, type ReactNode } from "react";
import type { ActionResult } from "@/lib/forms/form-state";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { AlertDialogBody, AlertDialogCancel, AlertDialogFrame } from "@/components/ui/alert-dialog";
import { DialogActions } from "@/components/ui/dialog";

export interface ConfirmDialogProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  children: ReactNode;
  confirmLabel: string;
  pendingLabel?: string;
  tone?: "danger" | "primary";
  onConfirm: () => Promise<ActionResult>;
  onDone?: () => void;
}

/**
 * "Are you sure?" for one-click changes, with the server's refusal shown in place. Focus starts on
 * Cancel, so a stray Enter does not archive or revoke anything.
 */
export function ConfirmDialog({ open, onClose, title, children, confirmLabel, pendingLabel, tone = "danger", onConfirm, onDone }: ConfirmDialogProps) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  function close() {
    setError(null);
    onClose();
  }
  return (
    <AlertDialogFrame open={open} onClose={close} title={title}>
      <AlertDialogBody>{children}</AlertDialogBody>
      <FormError message={error} className="mt-3" />
      <DialogActions>
        <AlertDialogCancel asChild>
          <Button variant="ghost">Cancel</Button>
        </AlertDialogCancel>
        <Button
          variant={tone === "danger" ? "danger" : "primary"}
          pending={pending}
          onClick={() =>
            startTransition(async () => {
              const result = await onConfirm();
              if (result.ok) {
                setError(null);
                onClose();
                onDone?.();
              } else {
                setError(result.error);
              }
            })
          }
        >
          {pending ? (pendingLabel ?? confirmLabel) : confirmLabel}
        </Button>
      </DialogActions>
    </AlertDialogFrame>
  );
}
