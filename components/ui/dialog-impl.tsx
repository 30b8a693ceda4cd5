"use client";

import * as RadixDialog from "@radix-ui/react-dialog";
import { cn } from "@/lib/cn";
import "@/components/ui/style-nonce";
import { CONTENT_CLASS, DIALOG_SIZES, OVERLAY_CLASS, type DialogProps } from "@/components/ui/dialog";
import { useDialogFocus } from "@/components/ui/dialog-focus";

/**
 * components/ui/dialog.tsx's Dialog, loaded when the first dialog opens. A modal on Radix Dialog: focus is trapped inside, lands on the field the dialog is for (the one
 * marked `autoFocus`/`data-autofocus`, else its first field) rather than on the close button, and
 * goes back to whatever opened it on close. Escape and a click outside close it unless
 * `dismissible` is false.
 */
export default function RadixDialogImpl({ open, onClose, title, description, children, size = "md", dismissible = true }: DialogProps) {
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
          className={cn(CONTENT_CLASS, DIALOG_SIZES[size])}
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
