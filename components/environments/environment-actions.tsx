"use client";

import { useActionState, useId, useState } from "react";
import { archiveEnvironmentAction, deleteEnvironmentAction } from "@/lib/actions/environments";
import { INITIAL_FORM_STATE, type FormState } from "@/lib/actions/form-state";
import { ActionForm } from "@/components/forms/action-form";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { describedBy, Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";

/** The service refuses (409) while any session uses the environment; that message shows here, in the dialog. */
function DeleteEnvironmentDialog({ environmentId, environmentName, onClose }: { environmentId: string; environmentName: string; onClose: () => void }) {
  const [state, action, pending] = useActionState<FormState, FormData>(deleteEnvironmentAction, INITIAL_FORM_STATE);
  const [typed, setTyped] = useState("");
  const id = useId();
  const error = state.fieldErrors.confirm_name ?? null;
  return (
    <Dialog open onClose={onClose} title="Delete environment permanently?" size="sm">
      <ActionForm action={action} className="space-y-4" aria-label="Delete environment">
        <input type="hidden" name="environment_id" value={environmentId} />
        <p className="text-sm text-fg-muted">
          This permanently deletes <span className="font-medium text-fg">{environmentName}</span>. It cannot be undone. While any session uses it
          (archived ones too), the delete is refused; archive it instead to keep it from new sessions.
        </p>
        <Field id={id} label={<>Type <span className="font-mono">{environmentName}</span> to confirm</>} error={error}>
          <Input
            id={id}
            name="confirm_name"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            autoComplete="off"
            spellCheck={false}
            autoFocus
            invalid={Boolean(error)}
            aria-describedby={describedBy(id, { error })}
          />
        </Field>
        <FormError message={error ? null : state.formError} />
        <DialogActions>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" pending={pending} disabled={typed !== environmentName}>
            {pending ? "Deleting…" : "Delete environment"}
          </Button>
        </DialogActions>
      </ActionForm>
    </Dialog>
  );
}

export function EnvironmentActions({ environmentId, environmentName, archived }: { environmentId: string; environmentName: string; archived: boolean }) {
  const [open, setOpen] = useState<"archive" | "delete" | null>(null);
  const { toast } = useToast();
  return (
    <>
      {!archived ? <Button onClick={() => setOpen("archive")}>Archive environment</Button> : null}
      <Button variant="danger-ghost" onClick={() => setOpen("delete")}>
        Delete environment
      </Button>
      <ConfirmDialog
        open={open === "archive"}
        onClose={() => setOpen(null)}
        title="Archive environment?"
        confirmLabel="Archive environment"
        pendingLabel="Archiving…"
        onConfirm={() => archiveEnvironmentAction(environmentId)}
        onDone={() => toast("Environment archived.")}
      >
        <p>
          <span className="font-medium text-fg">{environmentName}</span> becomes read-only and starts no new sessions. Sessions already using it keep it.
        </p>
      </ConfirmDialog>
      {open === "delete" ? <DeleteEnvironmentDialog environmentId={environmentId} environmentName={environmentName} onClose={() => setOpen(null)} /> : null}
    </>
  );
}
