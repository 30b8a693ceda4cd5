"use client";

import { useActionState, useId, useState, type ReactNode } from "react";
import { INITIAL_FORM_STATE, type FormState } from "@/lib/forms/form-state";
import { ActionForm } from "@/components/forms/action-form";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { AlertDialogBody, AlertDialogCancel, AlertDialogFrame } from "@/components/ui/alert-dialog";
import { DialogActions } from "@/components/ui/dialog";
import { describedBy, Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

/**
 * A permanent delete behind a typed confirmation: the submit button stays disabled until the
 * person types `expected` (a name or id), and the server action checks the same field again.
 * The service's refusal (a 409, say) shows in the dialog.
 */
export function TypedConfirmDeleteDialog({
  noun,
  action: deleteAction,
  hiddenFields,
  confirmField,
  expected,
  monospaceInput = false,
  onClose,
  children,
}: {
  /** "vault", "environment", "session": used in the title, the form's label and the button. */
  noun: string;
  action: (state: FormState, formData: FormData) => Promise<FormState>;
  hiddenFields: Record<string, string>;
  confirmField: string;
  expected: string;
  monospaceInput?: boolean;
  onClose: () => void;
  /** What the delete destroys and what to do instead. */
  children: ReactNode;
}) {
  const [state, action, pending] = useActionState<FormState, FormData>(deleteAction, INITIAL_FORM_STATE);
  const [typed, setTyped] = useState("");
  const id = useId();
  const error = state.fieldErrors[confirmField] ?? null;
  return (
    <AlertDialogFrame open onClose={onClose} title={`Delete ${noun} permanently?`}>
      <ActionForm action={action} className="space-y-4" aria-label={`Delete ${noun}`}>
        {Object.entries(hiddenFields).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <AlertDialogBody>
          <p>{children}</p>
        </AlertDialogBody>
        <Field
          id={id}
          label={
            <>
              Type <span className="font-mono">{expected}</span> to confirm
            </>
          }
          error={error}
        >
          <Input
            id={id}
            name={confirmField}
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            autoComplete="off"
            spellCheck={false}
            autoFocus
            className={monospaceInput ? "font-mono text-[13px]" : undefined}
            invalid={Boolean(error)}
            aria-describedby={describedBy(id, { error })}
          />
        </Field>
        <FormError message={error ? null : state.formError} />
        <DialogActions>
          <AlertDialogCancel asChild>
            <Button variant="ghost">Cancel</Button>
          </AlertDialogCancel>
          <Button type="submit" variant="danger" pending={pending} disabled={typed !== expected}>
            {pending ? "Deleting…" : `Delete ${noun}`}
          </Button>
        </DialogActions>
      </ActionForm>
    </AlertDialogFrame>
  );
}
