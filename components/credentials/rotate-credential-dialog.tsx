"use client";

import { useActionState, useEffect, useRef } from "react";
import { rotateCredentialAction } from "@/lib/actions/credentials";
import { INITIAL_FORM_STATE, type FormState } from "@/lib/forms/form-state";
import type { CredentialObject } from "@/lib/validation/credential-object";
import { TOKEN_MAX } from "@/lib/validation/credentials";
import { ActionForm } from "@/components/forms/action-form";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { MaskedTokenInput } from "@/components/credentials/masked-token-input";
import { SECRET_LABELS } from "@/components/credentials/credential-types";
import { SecretMask } from "@/components/credentials/secret-mask";

export function RotateCredentialDialog({ credential, onClose }: { credential: CredentialObject; onClose: () => void }) {
  const [state, action, pending] = useActionState<FormState, FormData>(rotateCredentialAction, INITIAL_FORM_STATE);
  const { toast } = useToast();
  const handled = useRef(state.version);
  const label = SECRET_LABELS[credential.auth.type];

  useEffect(() => {
    if (state.version === handled.current) return;
    handled.current = state.version;
    if (state.ok) {
      toast(`${label} rotated. The next request uses the new one.`);
      onClose();
    }
  }, [state, onClose, toast, label]);

  return (
    <Dialog
      open
      onClose={onClose}
      title={`Rotate ${label.toLowerCase()}`}
      description={
        <>
          Replaces the stored {label.toLowerCase()} of <span className="font-medium text-fg">{credential.display_name ?? credential.id}</span> in place. The
          old one is destroyed; sessions use the new one from their next request.
        </>
      }
    >
      <ActionForm action={action} className="space-y-4" aria-label={`Rotate ${label.toLowerCase()}`}>
        <input type="hidden" name="vault_id" value={credential.vault_id} />
        <input type="hidden" name="credential_id" value={credential.id} />
        <div className="flex items-center gap-2 text-[13px] text-fg-muted">
          Current: <SecretMask hint={credential.token_hint} />
        </div>
        <MaskedTokenInput name="secret" label={`New ${label.toLowerCase()}`} maxLength={TOKEN_MAX} autoFocus error={state.fieldErrors.secret ? `${label} ${state.fieldErrors.secret}` : null} />
        <FormError message={state.formError} />
        <DialogActions>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" pending={pending}>
            {pending ? "Rotating…" : `Rotate ${label.toLowerCase()}`}
          </Button>
        </DialogActions>
      </ActionForm>
    </Dialog>
  );
}
