"use client";

import { rotateCredentialAction } from "@/lib/actions/credentials";
import type { CredentialObject } from "@/lib/serializers/credentials";
import { TOKEN_MAX } from "@/lib/validation/limits";
import { ActionForm } from "@/components/forms/action-form";
import { DialogFormFooter } from "@/components/forms/dialog-form-footer";
import { useDialogFormAction } from "@/components/forms/use-dialog-form-action";
import { Dialog } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { MaskedTokenInput } from "@/components/credentials/masked-token-input";
import { SECRET_LABELS } from "@/components/credentials/credential-types";
import { SecretMask } from "@/components/credentials/secret-mask";

export function RotateCredentialDialog({ credential, onClose }: { credential: CredentialObject; onClose: () => void }) {
  const { toast } = useToast();
  const label = SECRET_LABELS[credential.auth.type];
  const { state, dispatch, pending } = useDialogFormAction(rotateCredentialAction, () => {
    toast(`${label} rotated. The next request uses the new one.`);
    onClose();
  });

  return (
    <Dialog
      open
      onClose={onClose}
      title={`Rotate ${label.toLowerCase()}`}
      description={
        <>
          Replaces the stored {label.toLowerCase()} of <span className="font-medium text-fg">{credential.display_name ?? credential.id}</span> in place. The old
          one is destroyed; sessions use the new one from their next request.
        </>
      }
    >
      <ActionForm action={dispatch} className="space-y-4" aria-label={`Rotate ${label.toLowerCase()}`}>
        <input type="hidden" name="vault_id" value={credential.vault_id} />
        <input type="hidden" name="credential_id" value={credential.id} />
        <div className="flex items-center gap-2 text-[13px] text-fg-muted">
          Current: <SecretMask hint={credential.token_hint} />
        </div>
        <MaskedTokenInput
          name="secret"
          label={`New ${label.toLowerCase()}`}
          maxLength={TOKEN_MAX}
          autoFocus
          error={state.fieldErrors.secret ? `${label} ${state.fieldErrors.secret}` : null}
        />
        <DialogFormFooter formError={state.formError} onCancel={onClose} pending={pending} submit={[`Rotate ${label.toLowerCase()}`, "Rotating…"]} />
      </ActionForm>
    </Dialog>
  );
}
