"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { actionError, errorToFormState } from "@/lib/actions/form-errors";
import { fieldErrorState, formErrorState, formText, successState, type ActionResult, type FormState } from "@/lib/actions/form-state";
import { metadataFieldRenamer, metadataFromRows, metadataPatchFromRows, readMetadataRows } from "@/lib/actions/metadata-form";
import { metadataRowIssues } from "@/lib/actions/vault-form";
import { authorizeAction } from "@/lib/auth/session";
import { archiveEnvironment, createEnvironment, deleteEnvironment, getEnvironment, updateEnvironment } from "@/lib/server/environments";
import { storedMetadata } from "@/lib/validation/common";
import { environmentCreateSchema, environmentUpdateSchema } from "@/lib/validation/environments";
import { validateInput, type FieldIssue } from "@/lib/validation/parse";

/** Allowed hosts are typed one per line (commas work too); the schema names them by index. */
function readAllowedHosts(formData: FormData): string[] {
  return formText(formData, "allowed_hosts")
    .split(/[\n,]/)
    .map((host) => host.trim())
    .filter((host) => host !== "");
}

function readEnvironmentFields(formData: FormData) {
  const description = formText(formData, "description");
  const limited = formText(formData, "networking") === "limited";
  return {
    name: formText(formData, "name"),
    description: description.trim() === "" ? null : description,
    config: {
      type: "cloud" as const,
      networking: limited ? { type: "limited" as const, allowed_hosts: readAllowedHosts(formData) } : { type: "unrestricted" as const },
    },
  };
}

function environmentField(rows: ReturnType<typeof readMetadataRows>) {
  const metadataField = metadataFieldRenamer(rows);
  return (field: string): string => {
    if (field.startsWith("config.networking.allowed_hosts")) return "allowed_hosts";
    if (field.startsWith("config")) return "networking";
    return metadataField(field);
  };
}

export async function createEnvironmentAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const authorized = await authorizeAction("write");
  if (!authorized.ok) return formErrorState(authorized.error);
  const rows = readMetadataRows(formData);
  const rename = environmentField(rows);
  const validated = validateInput(environmentCreateSchema, { ...readEnvironmentFields(formData), metadata: metadataFromRows(rows) });
  const issues: FieldIssue[] = [...metadataRowIssues(rows), ...(validated.ok ? [] : validated.issues.map((issue) => ({ ...issue, field: rename(issue.field) })))];
  if (issues.length > 0 || !validated.ok) return fieldErrorState(issues);

  let environmentId: string;
  try {
    environmentId = (await createEnvironment(validated.data, authorized.context)).id;
  } catch (error) {
    return errorToFormState(error, rename);
  }
  revalidatePath("/environments");
  redirect(`/environments/${environmentId}`);
}

export async function updateEnvironmentAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const authorized = await authorizeAction("write");
  if (!authorized.ok) return formErrorState(authorized.error);
  const environmentId = formText(formData, "environment_id");
  const rows = readMetadataRows(formData);
  const rename = environmentField(rows);
  try {
    const current = await getEnvironment(environmentId);
    const validated = validateInput(environmentUpdateSchema, {
      ...readEnvironmentFields(formData),
      metadata: metadataPatchFromRows(storedMetadata(current.metadata), rows),
    });
    const issues: FieldIssue[] = [...metadataRowIssues(rows), ...(validated.ok ? [] : validated.issues.map((issue) => ({ ...issue, field: rename(issue.field) })))];
    if (issues.length > 0 || !validated.ok) return fieldErrorState(issues);
    await updateEnvironment(environmentId, validated.data, authorized.context);
  } catch (error) {
    return errorToFormState(error, rename);
  }
  revalidatePath(`/environments/${environmentId}`);
  revalidatePath("/environments");
  return successState();
}

export async function archiveEnvironmentAction(environmentId: string): Promise<ActionResult> {
  const authorized = await authorizeAction("write");
  if (!authorized.ok) return authorized;
  try {
    await archiveEnvironment(environmentId, authorized.context);
  } catch (error) {
    return actionError(error);
  }
  revalidatePath(`/environments/${environmentId}`);
  revalidatePath("/environments");
  return { ok: true };
}

/** Deleting is permanent, so the typed name is checked here too; the service refuses while sessions use it. */
export async function deleteEnvironmentAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const authorized = await authorizeAction("write");
  if (!authorized.ok) return formErrorState(authorized.error);
  const environmentId = formText(formData, "environment_id");
  try {
    const environment = await getEnvironment(environmentId);
    if (formText(formData, "confirm_name") !== environment.name) {
      return { ...formErrorState("The environment was not deleted."), fieldErrors: { confirm_name: `Type the environment's name exactly: ${environment.name}` } };
    }
    await deleteEnvironment(environmentId, authorized.context);
  } catch (error) {
    return errorToFormState(error);
  }
  revalidatePath("/environments");
  redirect("/environments?deleted=1");
}
