"use client";

import Link from "next/link";
import { useActionState, useId, useState } from "react";
import { archiveSessionAction, deleteSessionAction } from "@/lib/actions/sessions";
import { INITIAL_FORM_STATE, type FormState } from "@/lib/actions/form-state";
import { ActionForm } from "@/components/forms/action-form";
import { FormError } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { describedBy, Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";

function DeleteSessionDialog({ sessionId, onClose }: { sessionId: string; onClose: () => void }) {
  const [state, action, pending] = useActionState<FormState, FormData>(deleteSessionAction, INITIAL_FORM_STATE);
  const [typed, setTyped] = useState("");
  const id = useId();
  const error = state.fieldErrors.confirm_id ?? null;
  return (
    <Dialog open onClose={onClose} title="Delete session permanently?" size="sm">
      <ActionForm action={action} className="space-y-4" aria-label="Delete session">
        <input type="hidden" name="session_id" value={sessionId} />
        <p className="text-sm text-fg-muted">
          This permanently deletes the session and its runtime placeholders; its runtime loses model access at once. It cannot be undone. Archive it
          instead to keep it read-only.
        </p>
        <Field id={id} label={<>Type <span className="font-mono">{sessionId}</span> to confirm</>} error={error}>
          <Input
            id={id}
            name="confirm_id"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            autoComplete="off"
            spellCheck={false}
            autoFocus
            className="font-mono text-[13px]"
            invalid={Boolean(error)}
            aria-describedby={describedBy(id, { error })}
          />
        </Field>
        <FormError message={error ? null : state.formError} />
        <DialogActions>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" pending={pending} disabled={typed !== sessionId}>
            {pending ? "Deleting…" : "Delete session"}
          </Button>
        </DialogActions>
      </ActionForm>
    </Dialog>
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
