"use client";

import { useState, type ComponentProps, type ReactNode } from "react";
import type { ActionResult } from "@/lib/forms/form-state";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { TypedConfirmDeleteDialog } from "@/components/ui/typed-confirm-delete-dialog";
import { useToast } from "@/components/ui/toast";

/** Archiving: the action (bound to the resource), the toast once it worked, and what it means. */
export interface ArchiveControl {
  action: () => Promise<ActionResult>;
  done: string;
  body: ReactNode;
}

export type DeleteControl = Omit<ComponentProps<typeof TypedConfirmDeleteDialog>, "noun" | "onClose">;

/**
 * A resource page's archive and delete buttons, each behind its confirmation: "Archive vault",
 * "Delete vault". Once the resource is archived only deleting is left; `children` are further
 * controls for a live resource (Edit), shown first.
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
      {archived ? null : <Button onClick={() => setOpen("archive")}>{`Archive ${noun}`}</Button>}
      {remove ? (
        <Button
          variant="danger-ghost"
          onClick={() => setOpen("delete")}
          disabled={Boolean(deleteBlocked)}
          title={deleteBlocked?.reason}
          aria-describedby={deleteBlocked?.describedBy}
        >
          {`Delete ${noun}`}
        </Button>
      ) : null}
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
