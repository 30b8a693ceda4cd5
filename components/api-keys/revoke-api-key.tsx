"use client";

import { useState } from "react";
import { revokeApiKeyAction } from "@/lib/actions/api-keys";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useToast } from "@/components/ui/toast";

export function RevokeApiKey({ apiKeyId, name, prefix }: { apiKeyId: string; name: string; prefix: string }) {
  const [open, setOpen] = useState(false);
  const { toast } = useToast();
  return (
    <>
      <Button size="sm" variant="danger-ghost" onClick={() => setOpen(true)} aria-label={`Revoke ${name}`}>
        Revoke
      </Button>
      <ConfirmDialog
        open={open}
        onClose={() => setOpen(false)}
        title="Revoke API key?"
        confirmLabel="Revoke key"
        pendingLabel="Revoking…"
        onConfirm={() => revokeApiKeyAction(apiKeyId)}
        onDone={() => toast(`${name} revoked.`)}
      >
        <p>
          <span className="font-medium text-fg">{name}</span> (<span className="font-mono">{prefix}…</span>) stops working immediately for every client that
          uses it. This cannot be undone.
        </p>
      </ConfirmDialog>
    </>
  );
}
