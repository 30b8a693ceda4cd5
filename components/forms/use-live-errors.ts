"use client";

import { useState, type FormEvent } from "react";
import type { FormState } from "@/lib/forms/form-state";

/** `auth.networking.allowed_hosts[0]` → ["auth", "networking", "allowed_hosts"]. */
function segments(field: string): string[] {
  return field.replace(/\[\d+\]/g, "").split(".");
}

/**
 * A form's errors as the person fixes them: once a field is edited after a response, its error
 * goes, and the banner above the submit button goes with the last one (or, for an error that names
 * no field, with the first edit), instead of staying until the next submit. `aliases` names the API
 * field an input stands for when the input's name is not in the error's path (`inject_header` →
 * `injection_location`).
 */
export function useLiveErrors(state: FormState, aliases: Record<string, string> = {}) {
  const [edited, setEdited] = useState<ReadonlySet<string>>(new Set());
  const [version, setVersion] = useState(state.version);
  if (state.version !== version) {
    setVersion(state.version);
    setEdited(new Set());
  }
  const isEdited = (field: string) => segments(field).some((segment) => edited.has(segment));
  const fieldErrors = Object.fromEntries(Object.entries(state.fieldErrors).filter(([field]) => !isEdited(field)));
  const hadFieldErrors = Object.keys(state.fieldErrors).length > 0;
  const cleared = hadFieldErrors ? Object.keys(fieldErrors).length === 0 : edited.size > 0;
  function onInput(event: FormEvent<HTMLFormElement>) {
    const target = event.target;
    if (!(target instanceof HTMLInputElement || target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement) || !target.name) return;
    const name = aliases[target.name] ?? target.name;
    if (!edited.has(name)) setEdited(new Set(edited).add(name));
  }
  return { fieldErrors, formError: cleared ? undefined : state.formError, onInput };
}
