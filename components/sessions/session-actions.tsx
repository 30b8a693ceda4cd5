"use client";

import Link from "next/link";
import { useState } from "react";
import { archiveSessionAction, deleteSessionAction } from "@/lib/actions/sessions";
import { Button, buttonClasses } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { TypedConfirmDeleteDialog } from "@/components/ui/typed-confirm-delete-dialog";
import { useToast } from "@/components/ui/toast";

function DeleteSessionDialog({ sessionId, onClose }: { sessionId: string; onClose: () => void }) {
  return (
    <TypedConfirmDeleteDialog
      noun="session"
      action={deleteSessionAction}
      hiddenFields={{ session_id: sessionId }}
      confirmField="confirm_id"
      expected={sessionId}
      monospaceInput
      onClose={onClose}
    >
      This permanently deletes the session and its runtime placeholders; its runtime loses model access at once. It cannot be undone. Archive it
      instead to keep it read-only.
    </TypedConfirmDeleteDialog>
  );
}

export function SessionActions({ sessionId, archived }: { sessionId: string; archived: boolean }) {
  const [open, setOpen] = useState<"archive" | "delete" | null>(null);
  const { toast } = useToast();
  return (
    <>
      {!archived ? (
        <>
          <Link href={`/sessions/${sessionId}/edit`} className={buttonClasses("secondary")}>
            Edit session
          </Link>
          <Button onClick={() => setOpen("archive")}>Archive session</Button>
        </>
      ) : null}
      <Button variant="danger-ghost" onClick={() => setOpen("delete")}>
        Delete session
      </Button>
      <ConfirmDialog
        open={open === "archive"}
        onClose={() => setOpen(null)}
        title="Archive session?"
        confirmLabel="Archive session"
        pendingLabel="Archiving…"
        onConfirm={() => archiveSessionAction(sessionId)}
        onDone={() => toast("Session archived; it is read-only now.")}
      >
        <p>The session becomes read-only: its title, metadata and vaults can no longer change. It stays listed under “Show archived”.</p>
      </ConfirmDialog>
      {open === "delete" ? <DeleteSessionDialog sessionId={sessionId} onClose={() => setOpen(null)} /> : null}
    </>
  );
}
