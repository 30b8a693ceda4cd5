"use client";

import { useActionState, useEffect, useId, useRef, useState } from "react";
import { createApiKeyAction, type CreateApiKeyState } from "@/lib/actions/api-keys";
import { INITIAL_FORM_STATE } from "@/lib/forms/form-state";
import { API_KEY_CREATE_ROLES, API_KEY_ROLE_DESCRIPTIONS } from "@/lib/validation/limits";
import { ActionForm } from "@/components/forms/action-form";
import { Alert, FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { describedBy, Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { PlusIcon } from "@/components/console/icons";
import { RuntimeKeyScopeFields, type EnvironmentOption } from "@/components/api-keys/runtime-key-scope-fields";

type Created = NonNullable<CreateApiKeyState["created"]>;

function CreateForm({ environments, onCreated, onClose }: { environments: EnvironmentOption[]; onCreated: (created: Created) => void; onClose: () => void }) {
  const [role, setRole] = useState<string>("admin");
  const [state, action, pending] = useActionState<CreateApiKeyState, FormData>(createApiKeyAction, INITIAL_FORM_STATE);
  const handled = useRef(state.version);
  const nameId = useId();
  const roleId = useId();
  const expiryId = useId();
  useEffect(() => {
    if (state.version === handled.current) return;
    handled.current = state.version;
    if (state.created) onCreated(state.created);
  }, [state, onCreated]);
  const errors = state.fieldErrors;
  const nameError = errors.name ? `Name ${errors.name}` : null;
  const roleError = errors.role ? `Role ${errors.role}` : null;
  const expiryError = errors.expires_at ? `Expiry ${errors.expires_at}` : null;
  const today = new Date().toISOString().slice(0, 10);
  return (
    <ActionForm action={action} className="space-y-4" aria-label="Create API key">
      <Field id={nameId} label="Name" error={nameError} hint="Say where it is used, for example “CI deploys” or “runtime eu-west”.">
        <Input
          id={nameId}
          name="name"
          autoFocus
          autoComplete="off"
          invalid={Boolean(nameError)}
          aria-describedby={describedBy(nameId, { hint: true, error: nameError })}
        />
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id={roleId} label="Role" error={roleError}>
          <Select
            id={roleId}
            name="role"
            value={role}
            onChange={(event) => setRole(event.target.value)}
            invalid={Boolean(roleError)}
            aria-describedby={describedBy(roleId, { error: roleError })}
          >
            {API_KEY_CREATE_ROLES.map((role) => (
              <option key={role} value={role}>
                {role} — {API_KEY_ROLE_DESCRIPTIONS[role]}
              </option>
            ))}
          </Select>
        </Field>
        <Field id={expiryId} label="Expires on" optional error={expiryError} hint="End of that day, UTC. Empty: never.">
          <Input
            id={expiryId}
            name="expires_at"
            type="date"
            min={today}
            invalid={Boolean(expiryError)}
            aria-describedby={describedBy(expiryId, { hint: true, error: expiryError })}
          />
        </Field>
      </div>
      {role === "runtime" ? <RuntimeKeyScopeFields environments={environments} errors={errors} /> : null}
      <FormError message={state.formError} />
      <DialogActions>
        <Button variant="ghost" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" pending={pending}>
          {pending ? "Creating…" : "Create key"}
        </Button>
      </DialogActions>
    </ActionForm>
  );
}

function ShowOnce({ created, onClose }: { created: Created; onClose: () => void }) {
  return (
    <div className="space-y-4">
      <Alert tone="warning" title="Copy this key now">
        It is shown only this once. The console keeps only a hash, so it cannot show it again; if you lose it, revoke it and create another.
      </Alert>
      <div>
        <p className="mb-1.5 text-[13px] font-medium">
          {created.name} <span className="font-normal text-fg-muted">· {created.role}</span>
        </p>
        <div className="flex items-stretch gap-2">
          <code
            data-testid="new-api-key"
            className="min-w-0 flex-1 rounded-md border border-border bg-surface-2 px-3 py-2 font-mono text-[13px] break-all select-all"
          >
            {created.key}
          </code>
          <CopyButton text={created.key} size="md" />
        </div>
      </div>
      <DialogActions>
        <Button variant="primary" onClick={onClose}>
          I have stored it
        </Button>
      </DialogActions>
    </div>
  );
}

export function CreateApiKey({ environments }: { environments: EnvironmentOption[] }) {
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);
  function close() {
    // Dropping the state drops the plaintext: nothing keeps the key once the dialog is gone.
    setCreated(null);
    setOpen(false);
  }
  return (
    <>
      <Button variant="primary" onClick={() => setOpen(true)} icon={<PlusIcon className="size-4" />}>
        New API key
      </Button>
      <Dialog
        open={open}
        onClose={close}
        dismissible={created === null}
        title={created ? "Your new API key" : "New API key"}
        description={created ? undefined : "Keys authenticate the SDK and the runtime against this console."}
      >
        {created ? <ShowOnce created={created} onClose={close} /> : <CreateForm environments={environments} onCreated={setCreated} onClose={close} />}
      </Dialog>
    </>
  );
}
