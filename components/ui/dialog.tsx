"use client";

import type { ReactNode } from "react";
import { cn } from "@/lib/cn";
import { lazyDialog } from "@/components/ui/lazy-dialog";
// Tracks the opener from the first paint, so a dialog loaded later still gives focus back to it.
import "@/components/ui/dialog-focus";

export interface DialogProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  /** Wide dialogs hold forms with several columns. */
  size?: "sm" | "md" | "lg";
  /** When false, Escape and the backdrop do not close it (a key that is shown only once). */
  dismissible?: boolean;
}

export const DIALOG_SIZES = { sm: "max-w-md", md: "max-w-lg", lg: "max-w-2xl" } as const;

export const OVERLAY_CLASS = "fixed inset-0 z-40 bg-black/40";
export const CONTENT_CLASS = cn(
  "fixed top-1/2 left-1/2 z-50 w-[calc(100%-2rem)] -translate-x-1/2 -translate-y-1/2 rounded-xl border border-border bg-surface text-fg shadow-2xl",
  "max-h-[calc(100dvh-2rem)] overflow-y-auto p-5 focus:outline-none",
);

/** Radix Dialog arrives with the first dialog opened on the page, not with the page (dialog-impl.tsx). */
const RadixDialogImpl = lazyDialog(() => import("@/components/ui/dialog-impl").then((module) => module.default));

/**
 * A modal on Radix Dialog: focus is trapped inside, lands on the field the dialog is for (the one
 * marked `autoFocus`/`data-autofocus`, else its first field) rather than on the close button, and
 * goes back to whatever opened it on close. Escape and a click outside close it unless
 * `dismissible` is false. Nothing of it is rendered (or loaded) while it is closed.
 */
export function Dialog(props: DialogProps) {
  return props.open ? <RadixDialogImpl {...props} /> : null;
}

/** The right-aligned row of buttons at the bottom of a dialog. */
export function DialogActions({ children, className }: { children: ReactNode; className?: string }) {
  return <div className={cn("mt-5 flex flex-wrap items-center justify-end gap-2", className)}>{children}</div>;
}
