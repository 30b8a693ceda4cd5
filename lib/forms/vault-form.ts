import { metadataPatchFromRows, type MetadataRow } from "@/lib/forms/metadata-rows";
import type { Metadata, MetadataPatch } from "@/lib/validation/common";
import { isReservedKey, RESERVED_KEYS } from "@/lib/validation/reserved-keys";

/** The create-vault form's kinds: what the kind picker offers. */
export const VAULT_FORM_KINDS = ["llm", "credential", "other"] as const;
export type VaultFormKind = (typeof VAULT_FORM_KINDS)[number];

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
      [RESERVED_KEYS.targetDomains]: values.targetDomains
        .split(",")
        .map((domain) => domain.trim())
        .join(","),
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

const OPTIONAL_HEADER_DEFAULTS: Record<string, string> = {
  [RESERVED_KEYS.protocol]: "https",
  [RESERVED_KEYS.tlsMode]: "terminate-reoriginate",
  [RESERVED_KEYS.failurePolicy]: "fail-closed",
};

/**
 * The edit dialog's metadata patch: the reserved keys its kind's fields set (the role and engine
 * never change, so they are not sent; an emptied base URL deletes the key, so the default applies)
 * and the free rows, with only what differs from `current` sent, so the audit entry names the
 * keys that changed.
 */
export function vaultEditPatch(current: Metadata, values: VaultFormValues, userRows: MetadataRow[]): MetadataPatch {
  const reserved: MetadataPatch = {};
  if (values.kind === "llm") {
    reserved[RESERVED_KEYS.llmBaseUrl] = values.baseUrl.trim() === "" ? null : values.baseUrl.trim();
  } else if (values.kind === "credential") {
    const set = reservedMetadataFor(values);
    for (const key of [RESERVED_KEYS.targetDomains, RESERVED_KEYS.headersJson, RESERVED_KEYS.protocol, RESERVED_KEYS.tlsMode, RESERVED_KEYS.failurePolicy]) {
      reserved[key] = set[key] ?? null;
    }
  }
  const currentUser = Object.fromEntries(Object.entries(current).filter(([key]) => !isReservedKey(key)));
  const patch: MetadataPatch = { ...metadataPatchFromRows(currentUser, userRows), ...reserved };
  // An optional header setting left at its default stays absent, so it takes no metadata pair.
  const unsetDefault = (key: string, value: string | null) => !(key in current) && OPTIONAL_HEADER_DEFAULTS[key] === value;
  return Object.fromEntries(
    Object.entries(patch).filter(([key, value]) => (value === null ? key in current : current[key] !== value && !unsetDefault(key, value))),
  );
}
