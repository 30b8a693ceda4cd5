"use client";

import type * as RadixAlertDialogModule from "@radix-ui/react-alert-dialog";
import { createContext, useContext, type ComponentProps, type ReactNode } from "react";
import { cn } from "@/lib/cn";
import { lazyDialog } from "@/components/ui/lazy-dialog";
// Tracks the opener from the first paint, so a confirmation loaded later still gives focus back to it.
import "@/components/ui/dialog-focus";

/** Radix AlertDialog, provided by the loaded frame to the parts rendered inside it. */
export const RadixAlertDialogContext = createContext<typeof RadixAlertDialogModule | null>(null);

function useRadixAlertDialog(): typeof RadixAlertDialogModule {
  const radix = useContext(RadixAlertDialogContext);
  if (!radix) throw new Error("AlertDialogBody and AlertDialogCancel belong inside AlertDialogFrame");
  return radix;
}

/** Radix AlertDialog arrives with the first confirmation opened on the page (alert-dialog-impl.tsx). */
const AlertDialogImpl = lazyDialog(() => import("@/components/ui/alert-dialog-impl").then((module) => module.default));

/**
 * The frame of a confirmation (Radix AlertDialog, role `alertdialog`): a click outside never
 * dismisses it, Escape does; focus lands on its field if it has one, else on Cancel (the
 * harmless choice), and goes back to the opener on close. The body is read out as its description.
 * Nothing of it is rendered (or loaded) while it is closed.
 */
export function AlertDialogFrame(props: { open: boolean; onClose: () => void; title: ReactNode; children: ReactNode }) {
  return props.open ? <AlertDialogImpl {...props} /> : null;
}

/** What the confirmation is about, linked to the dialog as its accessible description. */
export function AlertDialogBody({ children, className }: { children: ReactNode; className?: string }) {
  const radix = useRadixAlertDialog();
  return (
    <radix.Description asChild>
      <div className={cn("text-sm text-fg-muted", className)}>{children}</div>
    </radix.Description>
  );
}

/** Cancel, wired to close the dialog; Radix focuses it when the dialog has no field. */
export function AlertDialogCancel(props: ComponentProps<typeof RadixAlertDialogModule.Cancel>) {
  const radix = useRadixAlertDialog();
  return <radix.Cancel {...props} />;
}
