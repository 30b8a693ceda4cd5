"use client";

import { useState } from "react";
import { archiveEnvironmentAction, deleteEnvironmentAction } from "@/lib/actions/environments";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { TypedConfirmDeleteDialog } from "@/components/ui/typed-confirm-delete-dialog";
import { useToast } from "@/components/ui/toast";

/** The service refuses (409) while any session uses the environment; that message shows in the dialog. */
function DeleteEnvironmentDialog({ environmentId, environmentName, onClose }: { environmentId: string; environmentName: string; onClose: () => void }) {
  return (
    <TypedConfirmDeleteDialog
      noun="environment"
      action={deleteEnvironmentAction}
      hiddenFields={{ environment_id: environmentId }}
      confirmField="confirm_name"
      expected={environmentName}
      onClose={onClose}
    >
      This permanently deletes <span className="font-medium text-fg">{environmentName}</span>. It cannot be undone. While any session uses it
      (archived ones too), the delete is refused; archive it instead to keep it from new sessions.
    </TypedConfirmDeleteDialog>
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
