import type { ConsoleError } from "@/lib/errors";
import type { FieldIssue } from "@/lib/validation/parse";

/**
 * What a form action returns. Field errors are keyed by the input's field path (`display_name`,
 * `auth.token`, `metadata.rows.2.key`); nothing the user typed is echoed back — the form keeps its
 * own values, and a secret must never travel back in a response anyway.
 */
export interface FormState {
  ok: boolean;
  fieldErrors: Record<string, string>;
  formError?: string;
  /** Bumped on every response, so a form can tell a repeated error from a stale one. */
  version: number;
}

export const INITIAL_FORM_STATE: FormState = { ok: false, fieldErrors: {}, version: 0 };

export function successState(): FormState {
  return { ok: true, fieldErrors: {}, version: Date.now() };
}

export function formErrorState(message: string, fieldErrors: Record<string, string> = {}): FormState {
  return { ok: false, fieldErrors, formError: message, version: Date.now() };
}

/** The API's field path (`metadata.team`, `auth.token`) → the form field that shows its error. */
export type FieldRenamer = (field: string) => string;

const sameField: FieldRenamer = (field) => field;

export function fieldErrorState(issues: FieldIssue[], rename: FieldRenamer = sameField): FormState {
  const fieldErrors: Record<string, string> = {};
  for (const issue of issues) {
    const field = rename(issue.field);
    fieldErrors[field] ??= issue.message;
  }
  return { ok: false, fieldErrors, formError: "Check the highlighted fields.", version: Date.now() };
}

/** `auth.mcp_server_url: must be …` → the field and the message without its path prefix. */
function splitFieldMessage(error: ConsoleError): { field: string | undefined; message: string } {
  const field = error.field;
  if (field && error.message.startsWith(`${field}: `)) return { field, message: error.message.slice(field.length + 2) };
  return { field, message: error.message };
}

/** A service's refusal as a form error: beside its field when it names one, above the form otherwise. */
export function refusalState(error: ConsoleError, rename: FieldRenamer = sameField): FormState {
  const { field, message } = splitFieldMessage(error);
  return field ? fieldErrorState([{ field, message }], rename) : formErrorState(message);
}

/** The result of a one-click action (archive, revoke, delete). */
export type ActionResult = { ok: true } | { ok: false; error: string };

export function formText(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
}
