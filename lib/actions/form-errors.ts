import "server-only";
import type { ConsoleError } from "@/lib/errors";
import type { ActionResult, FormState } from "@/lib/actions/form-state";
import { formErrorState } from "@/lib/actions/form-state";
import { describeForLog, toConsoleError } from "@/lib/server/database-errors";

/** `auth.mcp_server_url: must be …` → the field and the message without its path prefix. */
export function splitFieldMessage(error: ConsoleError): { field: string | undefined; message: string } {
  const field = error.field;
  if (field && error.message.startsWith(`${field}: `)) return { field, message: error.message.slice(field.length + 2) };
  return { field, message: error.message };
}

/**
 * A service refusal becomes a form error (beside its field when it names one); anything else is
 * logged without its details and shown as a generic failure.
 */
export function errorToFormState(error: unknown, rename: (field: string) => string = (field) => field): FormState {
  const refusal = toConsoleError(error);
  if (refusal) {
    const { field, message } = splitFieldMessage(refusal);
    if (field) return { ok: false, fieldErrors: { [rename(field)]: message }, formError: "Check the highlighted fields.", version: Date.now() };
    return formErrorState(message);
  }
  console.error(`[action] unexpected error: ${describeForLog(error)}`);
  return formErrorState("Something went wrong on the server. Reload the page to see the current state, then try again.");
}

export function actionError(error: unknown): ActionResult {
  const refusal = toConsoleError(error);
  if (refusal) return { ok: false, error: refusal.message };
  console.error(`[action] unexpected error: ${describeForLog(error)}`);
  return { ok: false, error: "Something went wrong on the server. Reload the page to see the current state, then try again." };
}

