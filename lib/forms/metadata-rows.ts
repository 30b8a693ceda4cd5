import { METADATA_KEY_MAX, METADATA_VALUE_MAX } from "@/lib/validation/limits";
import type { Metadata, MetadataPatch } from "@/lib/validation/common";
import type { FieldIssue } from "@/lib/validation/parse";
import { isReservedKey } from "@/lib/validation/reserved-keys";

/**
 * The metadata editor's rows: the one model of them for the editor (as you type) and the actions
 * (on submit), so both read, check and name them the same way.
 */
export interface MetadataRow {
  key: string;
  value: string;
}

const RESERVED_ROW_MESSAGE = "sandbox0.managed_agents.* keys are set by the fields above, not here; remove this row";

/** The editor's rows, read back from a submitted form (`metadata_key` and `metadata_value` pairs). */
export function readMetadataRows(formData: FormData): MetadataRow[] {
  const keys = formData.getAll("metadata_key");
  const values = formData.getAll("metadata_value");
  return keys.map((key, index) => {
    const value = values[index];
    return { key: typeof key === "string" ? key : "", value: typeof value === "string" ? value : "" };
  });
}

/**
 * Problems with the free metadata rows that the API schema cannot see because it gets an object:
 * reserved keys typed by hand, duplicates, values without a key.
 */
export function metadataRowIssues(rows: MetadataRow[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const seen = new Map<string, number>();
  rows.forEach((row, index) => {
    const key = row.key.trim();
    if (key === "" && row.value === "") return;
    if (key === "") {
      issues.push({ field: `metadata.rows.${index}.key`, message: "Enter a key, or remove this row" });
      return;
    }
    if (isReservedKey(key)) issues.push({ field: `metadata.rows.${index}.key`, message: RESERVED_ROW_MESSAGE });
    else if (key.length > METADATA_KEY_MAX)
      issues.push({ field: `metadata.rows.${index}.key`, message: `Key is ${key.length} characters; the limit is ${METADATA_KEY_MAX}` });
    else if (seen.has(key)) issues.push({ field: `metadata.rows.${index}.key`, message: `Duplicate of row ${(seen.get(key) ?? 0) + 1}` });
    if (row.value.length > METADATA_VALUE_MAX) {
      issues.push({
        field: `metadata.rows.${index}.value`,
        message: `Value is ${row.value.length} characters; the limit is ${METADATA_VALUE_MAX}`,
      });
    }
    seen.set(key, index);
  });
  return issues;
}

/**
 * The rows as the API's metadata object. Agents, environments and sessions refuse reserved keys in
 * their schemas, so rows are passed through as typed and the schema says no.
 */
export function metadataFromRows(rows: MetadataRow[]): Metadata {
  return Object.fromEntries(rows.filter((row) => row.key.trim() !== "").map((row) => [row.key.trim(), row.value]));
}

/** An update's metadata patch: every row upserts, every key no longer listed is deleted. */
export function metadataPatchFromRows(current: Metadata, rows: MetadataRow[]): MetadataPatch {
  const next = metadataFromRows(rows);
  const patch: MetadataPatch = { ...next };
  for (const key of Object.keys(current)) if (!(key in next)) patch[key] = null;
  return patch;
}

/**
 * The one renamer from the API's field paths to the form's: the schema names metadata issues by key
 * (`metadata.team`, always a problem with the key: values are checked per row), so they go beside
 * that row's key; reserved keys the form sets from its own fields go beside those fields.
 */
export function metadataFieldRenamer(rows: MetadataRow[], reservedKeyFields: Readonly<Record<string, string>> = {}) {
  return (field: string): string => {
    if (!field.startsWith("metadata.")) return field;
    const key = field.slice("metadata.".length);
    if (Object.hasOwn(reservedKeyFields, key)) return reservedKeyFields[key] ?? "metadata";
    const index = rows.findIndex((row) => row.key.trim() === key);
    return index >= 0 ? `metadata.rows.${index}.key` : "metadata";
  };
}

/**
 * What a form with a metadata editor hands its action: the API's body built from the rows, the rows'
 * own issues, and where the schema's issues go on the form.
 */
export function metadataFormReading<Input>(
  formData: FormData,
  input: (rows: MetadataRow[]) => Input,
  field: (rows: MetadataRow[]) => (field: string) => string,
) {
  const rows = readMetadataRows(formData);
  return { input: input(rows), issues: metadataRowIssues(rows), field: field(rows) };
}
