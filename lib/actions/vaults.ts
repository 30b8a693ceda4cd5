"use server";

import { buttonAction, byId, formAction, idAction, idArgument, typedDeleteAction } from "@/lib/actions/action";
import { formText } from "@/lib/forms/form-state";
import { metadataFieldRenamer, metadataFromRows, metadataRowIssues, readMetadataRows } from "@/lib/forms/metadata-rows";
import { RESERVED_KEY_FIELDS, reservedMetadataFor, VAULT_FORM_KINDS, vaultEditPatch, type VaultFormValues } from "@/lib/forms/vault-form";
import { testLlmVaultConnection } from "@/lib/server/connection-test";
import { archiveVault, createVault, deleteVault, getVault, updateVault } from "@/lib/server/vaults";
import { storedMetadata } from "@/lib/validation/common";
import { isReservedKey } from "@/lib/validation/reserved-metadata";
import { vaultCreateSchema, vaultUpdateSchema } from "@/lib/validation/vaults";
import { vaultKindOf } from "@/lib/vault-kind";
import type { ConnectionOutcome } from "@/lib/serializers/runtime";

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
    rows: readMetadataRows(formData),
  };
}

/** Reserved keys come from the kind's own fields; rows typing one are refused (metadataRowIssues), not sent. */
export const createVaultAction = formAction(
  "write",
  vaultCreateSchema,
  (formData) => {
    const values = readValues(formData);
    const userMetadata = metadataFromRows(values.rows.filter((row) => !isReservedKey(row.key.trim())));
    return {
      input: { display_name: values.displayName, metadata: { ...userMetadata, ...reservedMetadataFor(values) } },
      issues: metadataRowIssues(values.rows),
      field: metadataFieldRenamer(values.rows, RESERVED_KEY_FIELDS),
    };
  },
  (input, { context }) => createVault(input, context),
  { revalidate: ["/vaults"], redirect: (vault) => `/vaults/${vault.id}` },
);

/**
 * The vault page's edit dialog: name, the kind's own settings (an LLM vault's base URL, a header
 * vault's domains and template) and the free metadata. The kind comes from the stored vault, never
 * the form; the service applies the reserved-key rules and refuses a base URL change while the
 * vault holds a token (409, shown beside the Base URL field).
 */
export const updateVaultAction = formAction(
  "write",
  vaultUpdateSchema,
  async (formData) => {
    const vaultId = formText(formData, "vault_id");
    const current = storedMetadata((await getVault(vaultId)).metadata);
    const values = { ...readValues(formData), kind: vaultKindOf(current) };
    const userRows = values.rows.filter((row) => !isReservedKey(row.key.trim()));
    return {
      vaultId,
      input: { display_name: values.displayName, metadata: vaultEditPatch(current, values, userRows) },
      issues: metadataRowIssues(values.rows),
      field: metadataFieldRenamer(values.rows, RESERVED_KEY_FIELDS),
    };
  },
  (input, { context }, { vaultId }) => updateVault(vaultId, input, context),
  { revalidate: (_vault, { vaultId }) => [`/vaults/${vaultId}`, "/vaults"] },
);

export const archiveVaultAction = idAction("write", archiveVault, (id) => [`/vaults/${id}`, "/vaults"]);

export const deleteVaultAction = typedDeleteAction(
  { noun: "vault", part: "name", idField: "vault_id", confirmField: "confirm_name", list: "/vaults" },
  async (id) => (await getVault(id)).displayName,
  deleteVault,
);

export type ConnectionTestState =
  { ok: true; outcome: ConnectionOutcome; status: number | null; message: string; checkedAt: string } | { ok: false; error: string };

/**
 * One request to the LLM vault's endpoint with its stored token. Only the outcome and the service's
 * own message come back: never the token, never the upstream's body.
 */
export const testVaultConnectionAction = buttonAction("write", idArgument, byId, ({ id }, { context }) => testLlmVaultConnection(id, context), {
  answer: (result) => ({
    ok: true,
    outcome: result.outcome,
    status: result.status,
    message: result.message,
    checkedAt: result.checkedAt.toISOString(),
  }),
});
