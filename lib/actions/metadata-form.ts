import type { MetadataRow } from "@/lib/actions/vault-form";
import type { Metadata, MetadataPatch } from "@/lib/validation/common";

/**
 * The metadata editor's rows, read back from a submitted form. Agents, environments and sessions
 * refuse reserved keys in their schemas, so rows are passed through as typed and the schema says no.
 */
export function readMetadataRows(formData: FormData): MetadataRow[] {
  const keys = formData.getAll("metadata_key");
  const values = formData.getAll("metadata_value");
  return keys.map((key, index) => {
    const value = values[index];
    return { key: typeof key === "string" ? key : "", value: typeof value === "string" ? value : "" };
  });
}

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

/** The schema names metadata issues by key (`metadata.team`); the form shows them on that row. */
export function metadataFieldRenamer(rows: MetadataRow[]) {
  return (field: string): string => {
    if (!field.startsWith("metadata.")) return field;
    const key = field.slice("metadata.".length);
    const index = rows.findIndex((row) => row.key.trim() === key);
    return index >= 0 ? `metadata.rows.${index}.key` : "metadata";
  };
}
