"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useActionState, useEffect, useRef } from "react";
import { invalidateAfterAnyChange } from "@/lib/queries/keys";
import { INITIAL_FORM_STATE, type FormState } from "@/lib/forms/form-state";

/**
 * A dialog's form action: `onDone` runs once for each response that worked (a toast, closing the
 * dialog), never again for the same response when the dialog re-renders.
 */
export function useDialogFormAction(action: (state: FormState, formData: FormData) => Promise<FormState>, onDone: () => void) {
  const [state, dispatch, pending] = useActionState<FormState, FormData>(action, INITIAL_FORM_STATE);
  const handled = useRef(state.version);
  const queryClient = useQueryClient();
  useEffect(() => {
    if (state.version === handled.current) return;
    handled.current = state.version;
    if (!state.ok) return;
    // A dialog does not know every list its change shows up in (a credential changes session readiness): refresh them all.
    void invalidateAfterAnyChange(queryClient);
    onDone();
  }, [state, onDone, queryClient]);
  return { state, dispatch, pending };
}
