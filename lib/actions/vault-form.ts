import { isReservedKey, RESERVED_KEYS } from "@/lib/validation/reserved-metadata";
import { METADATA_KEY_MAX, METADATA_VALUE_MAX, type Metadata } from "@/lib/validation/common";
import type { FieldIssue } from "@/lib/validation/parse";

/** The create-vault form's kinds: what the kind picker offers. */
export const VAULT_FORM_KINDS = ["llm", "credential", "other"] as const;
export type VaultFormKind = (typeof VAULT_FORM_KINDS)[number];

export interface MetadataRow {
  key: string;
  value: string;
}

export const CREDENTIAL_VAULT_OPTIONS = {
  protocol: ["https", "http"],
  tls_mode: ["terminate-reoriginate", "passthrough"],
  failure_policy: ["fail-closed", "fail-open"],
} as const;

/** Which form field stands for each reserved key the form sets itself. */
export const RESERVED_KEY_FIELDS: Record<string, string> = {
  [RESERVED_KEYS.role]: "kind",
  [RESERVED_KEYS.engine]: "engine",
  [RESERVED_KEYS.llmBaseUrl]: "base_url",
  [RESERVED_KEYS.kind]: "kind",
  [RESERVED_KEYS.version]: "kind",
  [RESERVED_KEYS.targetDomains]: "target_domains",
  [RESERVED_KEYS.headersJson]: "headers_json",
  [RESERVED_KEYS.protocol]: "protocol",
  [RESERVED_KEYS.tlsMode]: "tls_mode",
  [RESERVED_KEYS.failurePolicy]: "failure_policy",
};

export const RESERVED_ROW_MESSAGE = "sandbox0.managed_agents.* keys are set by the fields above, not here; remove this row";

/**
 * Problems with the free metadata rows that the API schema cannot see because it gets an object:
 * reserved keys typed by hand, duplicates, values without a key. Shared by the editor (as you type)
 * and the action (on submit), so both say the same.
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
    else if (key.length > METADATA_KEY_MAX) issues.push({ field: `metadata.rows.${index}.key`, message: `Key is ${key.length} characters; the limit is ${METADATA_KEY_MAX}` });
    else if (seen.has(key)) issues.push({ field: `metadata.rows.${index}.key`, message: `Duplicate of row ${(seen.get(key) ?? 0) + 1}` });
    if (row.value.length > METADATA_VALUE_MAX) {
      issues.push({ field: `metadata.rows.${index}.value`, message: `Value is ${row.value.length} characters; the limit is ${METADATA_VALUE_MAX}` });
    }
    seen.set(key, index);
  });
  return issues;
}

export interface VaultFormValues {
  kind: VaultFormKind;
  displayName: string;
  baseUrl: string;
  targetDomains: string;
  headersJson: string;
  protocol: string;
  tlsMode: string;
  failurePolicy: string;
  rows: MetadataRow[];
}

/** The reserved keys the chosen kind sets: what the form writes so nobody types them. */
export function reservedMetadataFor(values: VaultFormValues): Metadata {
  if (values.kind === "llm") {
    const metadata: Metadata = { [RESERVED_KEYS.role]: "llm", [RESERVED_KEYS.engine]: "claude" };
    // Left empty, the key stays absent and the documented default (https://api.anthropic.com) applies.
    if (values.baseUrl.trim()) metadata[RESERVED_KEYS.llmBaseUrl] = values.baseUrl.trim();
    return metadata;
  }
  if (values.kind === "credential") {
    return {
      [RESERVED_KEYS.role]: "credential",
      [RESERVED_KEYS.kind]: "http_headers",
      [RESERVED_KEYS.version]: "1",
      [RESERVED_KEYS.targetDomains]: values.targetDomains.split(",").map((domain) => domain.trim()).join(","),
      [RESERVED_KEYS.headersJson]: values.headersJson.trim(),
      [RESERVED_KEYS.protocol]: values.protocol,
      [RESERVED_KEYS.tlsMode]: values.tlsMode,
      [RESERVED_KEYS.failurePolicy]: values.failurePolicy,
    };
  }
  return {};
}

/** How many metadata pairs the kind's own fields take, for the editor's counter. */
export function reservedPairCount(kind: VaultFormKind, baseUrlSet: boolean): number {
  if (kind === "llm") return baseUrlSet ? 3 : 2;
  if (kind === "credential") return 8;
  return 0;
}
