"use client";

import { useState } from "react";
import { archiveAgentAction } from "@/lib/actions/agents";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useToast } from "@/components/ui/toast";

export function ArchiveAgentButton({ agentId, agentName }: { agentId: string; agentName: string }) {
  const [open, setOpen] = useState(false);
  const { toast } = useToast();
  return (
    <>
      <Button onClick={() => setOpen(true)}>Archive agent</Button>
      <ConfirmDialog
        open={open}
        onClose={() => setOpen(false)}
        title="Archive agent?"
        confirmLabel="Archive agent"
        pendingLabel="Archiving…"
        onConfirm={() => archiveAgentAction(agentId)}
        onDone={() => toast("Agent archived.")}
      >
        <p>
          <span className="font-medium text-fg">{agentName}</span> becomes read-only and starts no new sessions. Existing sessions keep the version they
          started with.
        </p>
      </ConfirmDialog>
    </>
  );
}
