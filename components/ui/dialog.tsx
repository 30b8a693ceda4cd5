"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";
import { cn } from "@/lib/cn";

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

/**
 * A modal on the native <dialog>: the browser traps focus, restores it on close and closes on
 * Escape, so keyboard users get the expected behaviour without a library.
 */
export function Dialog({ open, onClose, title, description, children, size = "md", dismissible = true }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onCancel={(event) => {
        event.preventDefault();
        if (dismissible) onClose();
      }}
      onClick={(event) => {
        if (dismissible && event.target === ref.current) onClose();
      }}
      className={cn(
        "m-auto w-[calc(100%-2rem)] rounded-xl border border-border bg-surface p-0 text-fg shadow-2xl",
        "max-h-[calc(100dvh-2rem)] overflow-y-auto",
        SIZES[size],
      )}
    >
      {open ? (
        <div className="p-5">
          <div className="mb-4 flex items-start justify-between gap-4">
            <div className="min-w-0">
              <h2 id={titleId} className="text-base font-semibold">
                {title}
              </h2>
              {description ? (
                <div id={descriptionId} className="mt-1 text-sm text-fg-muted">
                  {description}
                </div>
              ) : null}
            </div>
            {dismissible ? (
              <button type="button" onClick={onClose} className="-mt-1 -mr-1 rounded-md p-1 text-fg-subtle hover:bg-surface-2 hover:text-fg" aria-label="Close">
                <svg viewBox="0 0 16 16" className="size-4" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden="true">
                  <path d="m4 4 8 8M12 4l-8 8" strokeLinecap="round" />
                </svg>
              </button>
            ) : null}
          </div>
          {children}
        </div>
      ) : null}
    </dialog>
  );
}

/** The right-aligned row of buttons at the bottom of a dialog. */
export function DialogActions({ children, className }: { children: ReactNode; className?: string }) {
  return <div className={cn("mt-5 flex flex-wrap items-center justify-end gap-2", className)}>{children}</div>;
}
