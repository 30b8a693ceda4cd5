"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { actionError, errorToFormState } from "@/lib/actions/form-errors";
import { fieldErrorState, formErrorState, formText, type ActionResult, type FormState } from "@/lib/actions/form-state";
import { metadataFieldRenamer, metadataFromRows, metadataPatchFromRows, readMetadataRows } from "@/lib/actions/metadata-form";
import { metadataRowIssues } from "@/lib/actions/vault-form";
import { authorizeAction } from "@/lib/auth/session";
import { ConsoleError } from "@/lib/errors";
import { archiveSession, createSession, deleteSession, getSession, updateSession } from "@/lib/server/sessions";
import { storedMetadata } from "@/lib/validation/common";
import { validateInput, type FieldIssue } from "@/lib/validation/parse";
import { sessionCreateSchema, sessionUpdateSchema } from "@/lib/validation/sessions";

/**
 * The form's vault pickers as the API's `vault_ids`: the LLM vault picked in the radio group (one
 * or none) first, then the other vaults ticked. The service still enforces "at most one LLM vault",
 * so a forged form posting two gets the same refusal the SDK does.
 */
function readVaultIds(formData: FormData): string[] {
  const llmVaultId = formText(formData, "llm_vault_id");
  const others = formData.getAll("other_vault_ids").filter((value): value is string => typeof value === "string" && value !== "");
  return [...(llmVaultId ? [llmVaultId] : []), ...others];
}

function sessionField(rows: ReturnType<typeof readMetadataRows>) {
  const metadataField = metadataFieldRenamer(rows);
  return (field: string): string => {
    if (field.startsWith("vault_ids")) return "vault_ids";
    if (field.startsWith("agent")) return "agent";
    return metadataField(field);
  };
}

/** Refusals about a vault, the agent or the environment go beside that picker, not above the form. */
function sessionErrorState(error: unknown, rename: (field: string) => string): FormState {
  if (error instanceof ConsoleError && !error.field) {
    const field = /^vault_ids\[\d+\]: /.test(error.message)
      ? "vault_ids"
      : /^Agent /.test(error.message)
        ? "agent"
        : /^Environment /.test(error.message)
          ? "environment_id"
          : null;
    if (field) {
      const message = field === "vault_ids" ? error.message.replace(/^vault_ids\[\d+\]: /, "") : error.message;
      return { ok: false, fieldErrors: { [field]: message }, formError: "Check the highlighted fields.", version: Date.now() };
    }
  }
  if (error instanceof ConsoleError && error.field?.startsWith("vault_ids")) {
    const message = error.message.replace(/^vault_ids(\[\d+\])?: /, "");
    return { ok: false, fieldErrors: { vault_ids: message }, formError: "Check the highlighted fields.", version: Date.now() };
  }
  return errorToFormState(error, rename);
}

function optionalTitle(formData: FormData): string | null {
  const title = formText(formData, "title").trim();
  return title === "" ? null : title;
}

export async function createSessionAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const authorized = await authorizeAction("write");
  if (!authorized.ok) return formErrorState(authorized.error);
  const rows = readMetadataRows(formData);
  const rename = sessionField(rows);
  const validated = validateInput(sessionCreateSchema, {
    agent: formText(formData, "agent"),
    environment_id: formText(formData, "environment_id"),
    title: optionalTitle(formData),
    metadata: metadataFromRows(rows),
    vault_ids: readVaultIds(formData),
  });
  const issues: FieldIssue[] = [...metadataRowIssues(rows), ...(validated.ok ? [] : validated.issues.map((issue) => ({ ...issue, field: rename(issue.field) })))];
  if (issues.length > 0 || !validated.ok) return fieldErrorState(issues);

  let sessionId: string;
  try {
    sessionId = (await createSession(validated.data, authorized.context)).id;
  } catch (error) {
    return sessionErrorState(error, rename);
  }
  revalidatePath("/sessions");
  redirect(`/sessions/${sessionId}`);
}

/** Title, metadata and the attached vaults; the agent and environment are fixed when a session starts. */
export async function updateSessionAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const authorized = await authorizeAction("write");
  if (!authorized.ok) return formErrorState(authorized.error);
  const sessionId = formText(formData, "session_id");
  const rows = readMetadataRows(formData);
  const rename = sessionField(rows);
  try {
    const current = await getSession(sessionId);
    const validated = validateInput(sessionUpdateSchema, {
      title: optionalTitle(formData),
      metadata: metadataPatchFromRows(storedMetadata(current.metadata), rows),
      vault_ids: readVaultIds(formData),
    });
    const issues: FieldIssue[] = [...metadataRowIssues(rows), ...(validated.ok ? [] : validated.issues.map((issue) => ({ ...issue, field: rename(issue.field) })))];
    if (issues.length > 0 || !validated.ok) return fieldErrorState(issues);
    await updateSession(sessionId, validated.data, authorized.context);
  } catch (error) {
    return sessionErrorState(error, rename);
  }
  revalidatePath(`/sessions/${sessionId}`);
  revalidatePath("/sessions");
  redirect(`/sessions/${sessionId}`);
}

export async function archiveSessionAction(sessionId: string): Promise<ActionResult> {
  const authorized = await authorizeAction("write");
  if (!authorized.ok) return authorized;
  try {
    await archiveSession(sessionId, authorized.context);
  } catch (error) {
    return actionError(error);
  }
  revalidatePath(`/sessions/${sessionId}`);
  revalidatePath("/sessions");
  return { ok: true };
}

/** Deleting is permanent, so the typed id is checked here too, not only in the dialog. */
export async function deleteSessionAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const authorized = await authorizeAction("write");
  if (!authorized.ok) return formErrorState(authorized.error);
  const sessionId = formText(formData, "session_id");
  if (formText(formData, "confirm_id") !== sessionId) {
    return { ...formErrorState("The session was not deleted."), fieldErrors: { confirm_id: `Type the session's id exactly: ${sessionId}` } };
  }
  try {
    await deleteSession(sessionId, authorized.context);
  } catch (error) {
    return errorToFormState(error);
  }
  revalidatePath("/sessions");
  redirect("/sessions?deleted=1");
}

