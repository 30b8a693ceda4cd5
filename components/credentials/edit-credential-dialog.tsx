"use client";

import { useId, useState } from "react";
import { updateCredentialAction } from "@/lib/actions/credentials";
import type { CredentialObject } from "@/lib/serializers/credentials";
import { ActionForm } from "@/components/forms/action-form";
import { DialogFormFooter } from "@/components/forms/dialog-form-footer";
import { SelectField, TextareaField, TextField } from "@/components/forms/text-field";
import { useDialogFormAction } from "@/components/forms/use-dialog-form-action";
import { useLiveErrors } from "@/components/forms/use-live-errors";
import { Dialog } from "@/components/ui/dialog";
import { FieldError } from "@/components/ui/field-error";
import { useToast } from "@/components/ui/toast";
import { CREDENTIAL_TYPE_LABELS } from "@/components/credentials/credential-types";

const LABELS: Record<string, string> = {
  display_name: "Name",
  expires_at: "Expires at",
  scope: "Scope",
  networking: "Networking",
  allowed_hosts: "Allowed hosts",
  injection: "Injection",
};

/**
 * A credential's name and its non-secret settings. Its secret changes only through Rotate; what is
 * fixed at create (type, MCP URL, secret name, OAuth client and token endpoint) is shown, not editable.
 */
export function EditCredentialDialog({ credential, onClose }: { credential: CredentialObject; onClose: () => void }) {
  const { toast } = useToast();
  const { state, dispatch, pending } = useDialogFormAction(updateCredentialAction, () => {
    toast("Credential saved.");
    onClose();
  });
  const live = useLiveErrors(state, { inject_header: "injection", inject_body: "injection" });
  const error = (field: string) => (live.fieldErrors[field] ? `${LABELS[field] ?? field} ${live.fieldErrors[field]}` : null);
  const auth = credential.auth;
  const [networking, setNetworking] = useState(auth.type === "environment_variable" ? auth.networking.type : "unrestricted");
  const headerId = useId();
  const bodyId = useId();

  return (
    <Dialog
      open
      onClose={onClose}
      size="md"
      title="Edit credential"
      description={
        <>
          {CREDENTIAL_TYPE_LABELS[auth.type]}
          {auth.type === "environment_variable" ? (
            <>
              {" "}
              <span className="font-mono">{auth.secret_name}</span>
            </>
          ) : auth.mcp_server_url ? (
            <>
              {" "}
              for <span className="font-mono break-all">{auth.mcp_server_url}</span>
            </>
          ) : null}
          . The secret is not shown or changed here; use Rotate for that.
        </>
      }
    >
      <ActionForm action={dispatch} onInput={live.onInput} className="space-y-4" aria-label="Edit credential">
        <input type="hidden" name="vault_id" value={credential.vault_id} />
        <input type="hidden" name="credential_id" value={credential.id} />
        <TextField
          name="display_name"
          label="Name"
          optional
          error={error("display_name")}
          defaultValue={credential.display_name ?? ""}
          autoComplete="off"
          autoFocus
        />
        {auth.type === "mcp_oauth" ? (
          <>
            <TextField
              name="expires_at"
              label="Expires at (UTC)"
              type="datetime-local"
              optional
              error={error("expires_at")}
              hint="When the access token stops working; empty means no known expiry. A new time must be in the future."
              defaultValue={auth.expires_at ? auth.expires_at.slice(0, 16) : ""}
            />
            {auth.refresh ? (
              <TextareaField
                name="scope"
                label="Refresh scope"
                optional
                rows={2}
                error={error("scope")}
                hint={`Refreshed by ${auth.refresh.client_id} at ${auth.refresh.token_endpoint} (${auth.refresh.token_endpoint_auth.type}); the client and endpoint are fixed.`}
                defaultValue={auth.refresh.scope ?? ""}
                spellCheck={false}
              />
            ) : null}
          </>
        ) : null}
        {auth.type === "environment_variable" ? (
          <>
            <SelectField
              name="networking"
              label="Networking"
              error={error("networking")}
              value={networking}
              onChange={(event) => setNetworking(event.target.value as typeof networking)}
            >
              <option value="unrestricted">Unrestricted</option>
              <option value="limited">Limited to hosts</option>
            </SelectField>
            {networking === "limited" ? (
              <TextField
                name="allowed_hosts"
                label="Allowed hosts"
                error={error("allowed_hosts")}
                hint="Up to 16 bare hosts, IPv4 addresses or *. wildcards, separated by commas."
                defaultValue={auth.networking.type === "limited" ? auth.networking.allowed_hosts.join(", ") : ""}
                autoComplete="off"
                spellCheck={false}
                className="font-mono text-[13px]"
              />
            ) : null}
            <fieldset>
              <legend className="mb-1.5 text-[13px] font-medium">Inject into</legend>
              <div className="flex items-center gap-4 text-[13px]">
                <label htmlFor={headerId} className="flex items-center gap-1.5">
                  <input
                    id={headerId}
                    type="checkbox"
                    name="inject_header"
                    defaultChecked={auth.injection_location.header}
                    className="size-3.5 accent-(--accent)"
                  />{" "}
                  Headers
                </label>
                <label htmlFor={bodyId} className="flex items-center gap-1.5">
                  <input id={bodyId} type="checkbox" name="inject_body" defaultChecked={auth.injection_location.body} className="size-3.5 accent-(--accent)" />{" "}
                  Body
                </label>
              </div>
              <FieldError id={`${headerId}-error`} message={error("injection")} />
            </fieldset>
          </>
        ) : null}
        <DialogFormFooter formError={live.formError} onCancel={onClose} pending={pending} submit={["Save credential", "Saving…"]} />
      </ActionForm>
    </Dialog>
  );
}
