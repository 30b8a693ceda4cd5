"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { actionError, errorToFormState } from "@/lib/actions/form-errors";
import { fieldErrorState, formErrorState, formText, type ActionResult, type FormState } from "@/lib/actions/form-state";
import {
  metadataRowIssues,
  RESERVED_KEY_FIELDS,
  reservedMetadataFor,
  VAULT_FORM_KINDS,
  type MetadataRow,
  type VaultFormValues,
} from "@/lib/actions/vault-form";
import { authorizeAction } from "@/lib/auth/session";
import { testLlmVaultConnection } from "@/lib/server/boundary";
import { archiveVault, createVault, deleteVault, getVault } from "@/lib/server/vaults";
import { isReservedKey } from "@/lib/validation/reserved-metadata";
import { validateInput, type FieldIssue } from "@/lib/validation/parse";
import { vaultCreateSchema } from "@/lib/validation/vaults";
import type { ConnectionOutcome } from "@/lib/serializers/runtime";

function readRows(formData: FormData): MetadataRow[] {
  const keys = formData.getAll("metadata_key");
  const values = formData.getAll("metadata_value");
  return keys.map((key, index) => ({ key: typeof key === "string" ? key : "", value: typeof values[index] === "string" ? (values[index] as string) : "" }));
}

function readValues(formData: FormData): VaultFormValues {
  const kindText = formText(formData, "kind");
  return {
    kind: VAULT_FORM_KINDS.find((kind) => kind === kindText) ?? "other",
    displayName: formText(formData, "display_name"),
    baseUrl: formText(formData, "base_url"),
    targetDomains: formText(formData, "target_domains"),
    headersJson: formText(formData, "headers_json"),
    protocol: formText(formData, "protocol"),
    tlsMode: formText(formData, "tls_mode"),
    failurePolicy: formText(formData, "failure_policy"),
    rows: readRows(formData),
  };
}

/** The API's field paths (`metadata.sandbox0.managed_agents.llm_base_url`) as the form's fields. */
function formField(rows: MetadataRow[]) {
  return (field: string): string => {
    if (!field.startsWith("metadata.")) return field;
    const key = field.slice("metadata.".length);
    if (isReservedKey(key)) return RESERVED_KEY_FIELDS[key] ?? "metadata";
    const index = rows.findIndex((row) => row.key.trim() === key);
    return index >= 0 ? `metadata.rows.${index}.value` : "metadata";
  };
}

export async function createVaultAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const authorized = await authorizeAction("write");
  if (!authorized.ok) return formErrorState(authorized.error);

  const values = readValues(formData);
  const rowIssues = metadataRowIssues(values.rows);
  const userMetadata = Object.fromEntries(
    values.rows.filter((row) => row.key.trim() !== "" && !isReservedKey(row.key.trim())).map((row) => [row.key.trim(), row.value]),
  );
  const input = { display_name: values.displayName, metadata: { ...userMetadata, ...reservedMetadataFor(values) } };
  const validated = validateInput(vaultCreateSchema, input);
  // Row issues already name their row; the schema's issues name metadata keys, mapped to fields.
  const rename = formField(values.rows);
  const issues: FieldIssue[] = [
    ...rowIssues,
    ...(validated.ok ? [] : validated.issues.map((issue) => ({ ...issue, field: rename(issue.field) }))),
  ];
  if (issues.length > 0 || !validated.ok) return fieldErrorState(issues);

  let vaultId: string;
  try {
    vaultId = (await createVault(validated.data, authorized.context)).id;
  } catch (error) {
    return errorToFormState(error, formField(values.rows));
  }
  revalidatePath("/vaults");
  redirect(`/vaults/${vaultId}`);
}

export async function archiveVaultAction(vaultId: string): Promise<ActionResult> {
  const authorized = await authorizeAction("write");
  if (!authorized.ok) return authorized;
  try {
    await archiveVault(vaultId, authorized.context);
  } catch (error) {
    return actionError(error);
  }
  revalidatePath(`/vaults/${vaultId}`);
  revalidatePath("/vaults");
  return { ok: true };
}

/** Deleting is permanent, so the typed name is checked here too, not only in the dialog. */
export async function deleteVaultAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const authorized = await authorizeAction("write");
  if (!authorized.ok) return formErrorState(authorized.error);
  const vaultId = formText(formData, "vault_id");
  try {
    const vault = await getVault(vaultId);
    if (formText(formData, "confirm_name") !== vault.displayName) {
      return { ...formErrorState("The vault was not deleted."), fieldErrors: { confirm_name: `Type the vault's name exactly: ${vault.displayName}` } };
    }
    await deleteVault(vaultId, authorized.context);
  } catch (error) {
    return errorToFormState(error);
  }
  revalidatePath("/vaults");
  redirect("/vaults?deleted=1");
}

export type ConnectionTestState =
  | { ok: true; outcome: ConnectionOutcome; status: number | null; message: string; checkedAt: string }
  | { ok: false; error: string };

/**
 * One request to the LLM vault's endpoint with its stored token. Only the outcome and the service's
 * own message come back: never the token, never the upstream's body.
 */
export async function testVaultConnectionAction(vaultId: string): Promise<ConnectionTestState> {
  const authorized = await authorizeAction("write");
  if (!authorized.ok) return authorized;
  try {
    const result = await testLlmVaultConnection(vaultId, authorized.context);
    return { ok: true, outcome: result.outcome, status: result.status, message: result.message, checkedAt: result.checkedAt.toISOString() };
  } catch (error) {
    const refused = actionError(error);
    return { ok: false, error: refused.ok ? "The test did not run." : refused.error };
  }
}
