"use client";

import { useState, type ComponentProps, type ReactNode } from "react";
import type { ActionResult } from "@/lib/forms/form-state";
import { buttonClasses } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { lazyDialog } from "@/components/ui/lazy-dialog";
import type { TypedConfirmDeleteDialog as TypedConfirmDeleteDialogType } from "@/components/ui/typed-confirm-delete-dialog";
import { Menu, MenuContent, MenuItem, MenuTrigger } from "@/components/ui/menu";
import { useToast } from "@/components/ui/toast";

/** Archiving: the action (bound to the resource), the toast once it worked, and what it means. */
export interface ArchiveControl {
  action: () => Promise<ActionResult>;
  done: string;
  body: ReactNode;
}

export type DeleteControl = Omit<ComponentProps<typeof TypedConfirmDeleteDialogType>, "noun" | "onClose">;

// Typed confirmation loads right after the page, not with it.
const TypedConfirmDeleteDialog = lazyDialog(() => import("@/components/ui/typed-confirm-delete-dialog").then((module) => module.TypedConfirmDeleteDialog));

/**
 * A resource page's archive and delete, in one "Vault actions" menu (so the header stays one row
 * on a phone), each behind its confirmation: "Archive vault", "Delete vault". Once the resource is
 * archived only deleting is left; `children` are further controls for a live resource (Edit),
 * shown first as buttons. Closing a confirmation puts focus back on the menu's button.
 */
export function ResourceActions({
  noun,
  archived,
  archive,
  remove,
  deleteBlocked,
  children,
}: {
  noun: string;
  archived: boolean;
  archive: ArchiveControl;
  remove?: DeleteControl;
  /** Why deleting cannot work now (sessions use it): the button is disabled and says so, before any typing. */
  deleteBlocked?: { reason: string; describedBy?: string };
  children?: ReactNode;
}) {
  const [open, setOpen] = useState<"archive" | "delete" | null>(null);
  const { toast } = useToast();
  return (
    <>
      {archived ? null : children}
      {archived && !remove ? null : (
        <Menu>
          <MenuTrigger className={buttonClasses("secondary", "md")} aria-label={`${capitalized(noun)} actions`}>
            Actions
            <svg viewBox="0 0 16 16" className="size-3.5" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden="true">
              <path d="m4 6 4 4 4-4" strokeLinecap="round" strokeLinejoin="round" />
            </svg>
          </MenuTrigger>
          <MenuContent>
            {archived ? null : <MenuItem onSelect={() => setOpen("archive")}>{`Archive ${noun}`}</MenuItem>}
            {remove ? (
              <MenuItem
                tone="danger"
                onSelect={() => setOpen("delete")}
                disabled={Boolean(deleteBlocked)}
                aria-describedby={deleteBlocked?.describedBy}
                className={deleteBlocked ? "flex-col items-start gap-0.5" : undefined}
              >
                {`Delete ${noun}`}
                {/* Said before any typing: the confirm would only refuse after it. */}
                {deleteBlocked ? <span className="max-w-64 text-xs font-normal text-fg-muted">{deleteBlocked.reason}</span> : null}
              </MenuItem>
            ) : null}
          </MenuContent>
        </Menu>
      )}
      {archived ? null : (
        <ConfirmDialog
          open={open === "archive"}
          onClose={() => setOpen(null)}
          title={`Archive ${noun}?`}
          confirmLabel={`Archive ${noun}`}
          pendingLabel="Archiving…"
          onConfirm={archive.action}
          onDone={() => toast(archive.done)}
        >
          <p>{archive.body}</p>
        </ConfirmDialog>
      )}
      {remove && open === "delete" ? <TypedConfirmDeleteDialog noun={noun} {...remove} onClose={() => setOpen(null)} /> : null}
    </>
  );
}

function capitalized(noun: string): string {
  return noun.charAt(0).toUpperCase() + noun.slice(1);
}
