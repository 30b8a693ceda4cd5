"use client";

import { useState, useTransition } from "react";
import { changeUserRoleAction, setUserDisabledAction } from "@/lib/actions/users";
import { USER_ROLE_LABELS, USER_ROLES, type UserRoleValue } from "@/lib/validation/limits";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Select } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";

export function UserRoleSelect({ userId, email, role }: { userId: string; email: string; role: UserRoleValue }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const { toast } = useToast();
  return (
    <div>
      <label className="sr-only" htmlFor={`role-${userId}`}>
        Role of {email}
      </label>
      <Select
        id={`role-${userId}`}
        value={role}
        disabled={pending}
        className="h-7 w-28 text-[13px]"
        aria-describedby={error ? `role-${userId}-error` : undefined}
        onChange={(event) => {
          const next = event.target.value;
          startTransition(async () => {
            const result = await changeUserRoleAction(userId, next);
            setError(result.ok ? null : result.error);
            if (result.ok) toast(`${email} is now ${next}.`);
          });
        }}
      >
        {USER_ROLES.map((option) => (
          <option key={option} value={option}>
            {USER_ROLE_LABELS[option]}
          </option>
        ))}
      </Select>
      {error ? (
        <p id={`role-${userId}-error`} className="mt-1 max-w-64 text-xs text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A key disabling the user revokes: display fields only. */
export interface RevokedKeyOption {
  id: string;
  name: string;
  prefix: string;
  role: string;
}

export function UserDisableButton({
  userId,
  email,
  disabled,
  keysRevoked = [],
}: {
  userId: string;
  email: string;
  disabled: boolean;
  keysRevoked?: RevokedKeyOption[];
}) {
  const [open, setOpen] = useState(false);
  const { toast } = useToast();
  return (
    <>
      <Button size="sm" variant={disabled ? "ghost" : "danger-ghost"} onClick={() => setOpen(true)}>
        {disabled ? "Enable" : "Disable"}
        <span className="sr-only"> {email}</span>
      </Button>
      <ConfirmDialog
        open={open}
        onClose={() => setOpen(false)}
        title={disabled ? "Enable user?" : "Disable user?"}
        tone={disabled ? "primary" : "danger"}
        confirmLabel={disabled ? "Enable" : "Disable"}
        onConfirm={() => setUserDisabledAction(userId, !disabled)}
        onDone={() => toast(disabled ? `${email} can sign in again.` : `${email} is signed out and cannot sign in.`)}
      >
        {disabled ? (
          <p>{email} will be able to sign in again with their password.</p>
        ) : (
          <>
            <p>{email} is signed out on their next request and cannot sign in until an owner enables them. Their audit history stays.</p>
            {keysRevoked.length > 0 ? (
              <div className="mt-3" data-testid="keys-revoked-on-disable">
                <p>
                  {keysRevoked.length === 1 ? "The API key" : `The ${keysRevoked.length} API keys`} they created (and any made with those) will be revoked for
                  good, with the runtime placeholders they obtained; enabling {email} again does not restore them:
                </p>
                <ul className="mt-1.5 max-h-40 list-disc overflow-y-auto pl-5 text-[13px]">
                  {keysRevoked.map((key) => (
                    <li key={key.id}>
                      {key.name} <span className="font-mono text-fg-muted">{key.prefix}…</span> · {key.role}
                    </li>
                  ))}
                </ul>
              </div>
            ) : (
              <p className="mt-3">They have created no API key that is still active.</p>
            )}
          </>
        )}
      </ConfirmDialog>
    </>
  );
}
