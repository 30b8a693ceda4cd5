"use client";

import * as RadixDialog from "@radix-ui/react-dialog";
import type { ReactNode } from "react";
import { cn } from "@/lib/cn";
import "@/components/ui/style-nonce";
import { useDialogFocus } from "@/components/ui/dialog-focus";

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

const SIZES = { sm: "max-w-md", md: "max-w-lg", lg: "max-w-2xl" } as const;

export const OVERLAY_CLASS = "fixed inset-0 z-40 bg-black/40";
export const CONTENT_CLASS = cn(
  "fixed top-1/2 left-1/2 z-50 w-[calc(100%-2rem)] -translate-x-1/2 -translate-y-1/2 rounded-xl border border-border bg-surface text-fg shadow-2xl",
  "max-h-[calc(100dvh-2rem)] overflow-y-auto p-5 focus:outline-none",
);

/**
 * A modal on Radix Dialog: focus is trapped inside, lands on the field the dialog is for (the one
 * marked `autoFocus`/`data-autofocus`, else its first field) rather than on the close button, and
 * goes back to whatever opened it on close. Escape and a click outside close it unless
 * `dismissible` is false.
 */
export function Dialog({ open, onClose, title, description, children, size = "md", dismissible = true }: DialogProps) {
  const focus = useDialogFocus(open);
  return (
    <RadixDialog.Root
      open={open}
      onOpenChange={(next) => {
        if (!next) onClose();
      }}
    >
      <RadixDialog.Portal>
        <RadixDialog.Overlay className={OVERLAY_CLASS} />
        <RadixDialog.Content
          className={cn(CONTENT_CLASS, SIZES[size])}
          // Radix warns when a dialog has no description; `undefined` tells it there is none on purpose.
          {...(description ? {} : { "aria-describedby": undefined })}
          {...focus}
          onEscapeKeyDown={(event) => {
            if (!dismissible) event.preventDefault();
          }}
          onPointerDownOutside={(event) => {
            if (!dismissible) event.preventDefault();
          }}
          onInteractOutside={(event) => {
            if (!dismissible) event.preventDefault();
          }}
        >
          <div className="mb-4 flex items-start justify-between gap-4">
            <div className="min-w-0">
              <RadixDialog.Title className="text-base font-semibold">{title}</RadixDialog.Title>
              {description ? (
                <RadixDialog.Description asChild>
                  <div className="mt-1 text-sm text-fg-muted">{description}</div>
                </RadixDialog.Description>
              ) : null}
            </div>
            {dismissible ? (
              <RadixDialog.Close className="-mt-1 -mr-1 rounded-md p-1 text-fg-subtle hover:bg-surface-2 hover:text-fg" aria-label="Close">
                <svg viewBox="0 0 16 16" className="size-4" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden="true">
                  <path d="m4 4 8 8M12 4l-8 8" strokeLinecap="round" />
                </svg>
              </RadixDialog.Close>
            ) : null}
          </div>
          {children}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

/** The right-aligned row of buttons at the bottom of a dialog. */
export function DialogActions({ children, className }: { children: ReactNode; className?: string }) {
  return <div className={cn("mt-5 flex flex-wrap items-center justify-end gap-2", className)}>{children}</div>;
}
