"use client";

import { useId, useState } from "react";
import { createUserAction } from "@/lib/actions/users";
import { PASSWORD_MIN, USER_ROLE_DESCRIPTIONS, USER_ROLE_LABELS, USER_ROLES } from "@/lib/validation/limits";
import { ActionForm } from "@/components/forms/action-form";
import { DialogFormFooter } from "@/components/forms/dialog-form-footer";
import { useDialogFormAction } from "@/components/forms/use-dialog-form-action";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { describedBy, Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { PlusIcon } from "@/components/console/icons";

const LABELS: Record<string, string> = { name: "Name", email: "Email", password: "Password", role: "Role" };

function CreateUserForm({ onClose }: { onClose: () => void }) {
  const { toast } = useToast();
  const { state, dispatch, pending } = useDialogFormAction(createUserAction, () => {
    toast("User created. Share the password with them over a safe channel.");
    onClose();
  });
  const ids = { name: useId(), email: useId(), password: useId(), role: useId() };
  const error = (field: keyof typeof ids) => (state.fieldErrors[field] ? `${LABELS[field]} ${state.fieldErrors[field]}` : null);
  return (
    <ActionForm action={dispatch} className="space-y-4" aria-label="Create user">
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id={ids.email} label="Email" error={error("email")}>
          <Input
            id={ids.email}
            name="email"
            type="email"
            autoFocus
            autoComplete="off"
            invalid={Boolean(error("email"))}
            aria-describedby={describedBy(ids.email, { error: error("email") })}
          />
        </Field>
        <Field id={ids.name} label="Name" optional error={error("name")}>
          <Input id={ids.name} name="name" autoComplete="off" aria-describedby={describedBy(ids.name, { error: error("name") })} />
        </Field>
      </div>
      <Field id={ids.password} label="Initial password" error={error("password")} hint={`At least ${PASSWORD_MIN} characters.`}>
        <Input
          id={ids.password}
          name="password"
          type="password"
          autoComplete="new-password"
          invalid={Boolean(error("password"))}
          aria-describedby={describedBy(ids.password, { hint: true, error: error("password") })}
        />
      </Field>
      <Field id={ids.role} label="Role" error={error("role")}>
        <Select id={ids.role} name="role" defaultValue="viewer">
          {USER_ROLES.map((role) => (
            <option key={role} value={role}>
              {USER_ROLE_LABELS[role]} — {USER_ROLE_DESCRIPTIONS[role]}
            </option>
          ))}
        </Select>
      </Field>
      <DialogFormFooter formError={state.formError} onCancel={onClose} pending={pending} submit={["Create user", "Creating…"]} />
    </ActionForm>
  );
}

export function CreateUser() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="primary" onClick={() => setOpen(true)} icon={<PlusIcon className="size-4" />}>
        New user
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="New user" description="They sign in with this email and password.">
        <CreateUserForm onClose={() => setOpen(false)} />
      </Dialog>
    </>
  );
}
