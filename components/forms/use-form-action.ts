"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useActionState, useEffect } from "react";
import { invalidateAfterAnyChange } from "@/lib/queries/keys";
import { INITIAL_FORM_STATE, type FormState } from "@/lib/forms/form-state";
import { useToast } from "@/components/ui/toast";

/**
 * A form's server action with what every resource form does around it: a toast once it worked (when
 * the action does not redirect), and each field's error prefixed with the field's label.
 */
export function useFormAction(action: (state: FormState, formData: FormData) => Promise<FormState>, labels: Record<string, string>, savedMessage?: string) {
  const [state, dispatch, pending] = useActionState<FormState, FormData>(action, INITIAL_FORM_STATE);
  const { toast } = useToast();
  const queryClient = useQueryClient();
  useEffect(() => {
    // A form does not know every list its change shows up in (a credential changes session readiness): refresh them all.
    if (state.ok) void invalidateAfterAnyChange(queryClient);
    if (savedMessage && state.ok) toast(savedMessage);
  }, [state, toast, savedMessage, queryClient]);
  const error = (field: string) => (state.fieldErrors[field] ? `${labels[field] ?? field} ${state.fieldErrors[field]}` : null);
  return { state, dispatch, pending, error };
}
