"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { actionError, errorToFormState } from "@/lib/actions/form-errors";
import { fieldErrorState, formErrorState, formText, successState, type ActionResult, type FormState } from "@/lib/actions/form-state";
import { metadataFieldRenamer, metadataFromRows, metadataPatchFromRows, readMetadataRows } from "@/lib/actions/metadata-form";
import { metadataRowIssues } from "@/lib/actions/vault-form";
import { authorizeAction } from "@/lib/auth/session";
import { archiveAgent, createAgent, getAgent, updateAgent } from "@/lib/server/agents";
import { agentCreateSchema, agentUpdateSchema } from "@/lib/validation/agents";
import { storedMetadata } from "@/lib/validation/common";
import { validateInput, type FieldIssue } from "@/lib/validation/parse";

/** `model.id` from the schema is the form's one model field. */
function agentField(rows: ReturnType<typeof readMetadataRows>) {
  const metadataField = metadataFieldRenamer(rows);
  return (field: string): string => (field.startsWith("model") ? "model" : metadataField(field));
}

function readAgentFields(formData: FormData) {
  const system = formText(formData, "system");
  const description = formText(formData, "description");
  return {
    name: formText(formData, "name"),
    model: formText(formData, "model").trim(),
    // An empty textarea means "none", as the API's null does.
    system: system.trim() === "" ? null : system,
    description: description.trim() === "" ? null : description,
  };
}

export async function createAgentAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const authorized = await authorizeAction("write");
  if (!authorized.ok) return formErrorState(authorized.error);
  const rows = readMetadataRows(formData);
  const rename = agentField(rows);
  const validated = validateInput(agentCreateSchema, { ...readAgentFields(formData), metadata: metadataFromRows(rows) });
  const issues: FieldIssue[] = [...metadataRowIssues(rows), ...(validated.ok ? [] : validated.issues.map((issue) => ({ ...issue, field: rename(issue.field) })))];
  if (issues.length > 0 || !validated.ok) return fieldErrorState(issues);

  let agentId: string;
  try {
    agentId = (await createAgent(validated.data, authorized.context)).id;
  } catch (error) {
    return errorToFormState(error, rename);
  }
  revalidatePath("/agents");
  redirect(`/agents/${agentId}`);
}

/** Saving makes a new version when anything changed; the version the form was opened at must still be current. */
export async function updateAgentAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const authorized = await authorizeAction("write");
  if (!authorized.ok) return formErrorState(authorized.error);
  const agentId = formText(formData, "agent_id");
  const rows = readMetadataRows(formData);
  const rename = agentField(rows);
  try {
    const current = await getAgent(agentId);
    const version = Number(formText(formData, "version"));
    const validated = validateInput(agentUpdateSchema, {
      ...readAgentFields(formData),
      metadata: metadataPatchFromRows(storedMetadata(current.metadata), rows),
      ...(Number.isInteger(version) && version > 0 ? { version } : {}),
    });
    const issues: FieldIssue[] = [...metadataRowIssues(rows), ...(validated.ok ? [] : validated.issues.map((issue) => ({ ...issue, field: rename(issue.field) })))];
    if (issues.length > 0 || !validated.ok) return fieldErrorState(issues);
    await updateAgent(agentId, validated.data, authorized.context);
  } catch (error) {
    return errorToFormState(error, rename);
  }
  revalidatePath(`/agents/${agentId}`);
  revalidatePath("/agents");
  return successState();
}

export async function archiveAgentAction(agentId: string): Promise<ActionResult> {
  const authorized = await authorizeAction("write");
  if (!authorized.ok) return authorized;
  try {
    await archiveAgent(agentId, authorized.context);
  } catch (error) {
    return actionError(error);
  }
  revalidatePath(`/agents/${agentId}`);
  revalidatePath("/agents");
  return { ok: true };
}
