"use client";

import { useActionState, useEffect, useRef } from "react";
import { INITIAL_FORM_STATE, type FormState } from "@/lib/forms/form-state";

/**
 * A dialog's form action: `onDone` runs once for each response that worked (a toast, closing the
 * dialog), never again for the same response when the dialog re-renders.
 */
export function useDialogFormAction(action: (state: FormState, formData: FormData) => Promise<FormState>, onDone: () => void) {
  const [state, dispatch, pending] = useActionState<FormState, FormData>(action, INITIAL_FORM_STATE);
  const handled = useRef(state.version);
  useEffect(() => {
    if (state.version === handled.current) return;
    handled.current = state.version;
    if (state.ok) onDone();
  }, [state, onDone]);
  return { state, dispatch, pending };
}
