"use client";

import { useEffect, useRef } from "react";
import type { FormState } from "@/lib/forms/form-state";

/**
 * After a refused submit, scrolls to the first field marked invalid and focuses it, so the person
 * lands on the error rather than on a banner far below it. Returns the ref for the element that
 * holds the fields.
 */
export function useFocusFirstError<E extends HTMLElement>(state: FormState) {
  const ref = useRef<E>(null);
  useEffect(() => {
    if (Object.keys(state.fieldErrors).length === 0) return;
    const first = ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (!first) return;
    first.scrollIntoView({ block: "center" });
    first.focus({ preventScroll: true });
  }, [state]);
  return ref;
}
