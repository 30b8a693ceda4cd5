import { checkEndpoint, parseEndpointUrl, type PrivateEndpoints } from "@/lib/boundary/endpoint-policy";
import { isBareHost, withoutTrailingDot, type Metadata } from "@/lib/validation/common";

import { DEFAULT_LLM_BASE_URL, isReservedKey, RESERVED_KEYS, RESERVED_PREFIX, SUPPORTED_ENGINE } from "@/lib/validation/reserved-keys";

// The names live in reserved-keys.ts (zod-free, for the browser); the rules live here.
export { DEFAULT_LLM_BASE_URL, isReservedKey, RESERVED_KEYS, RESERVED_PREFIX, SUPPORTED_ENGINE };

export type MetadataOwner = "vault" | "credential" | "session" | "agent" | "environment";

const LLM_KEYS = new Set<string>([RESERVED_KEYS.role, RESERVED_KEYS.engine, RESERVED_KEYS.llmBaseUrl]);
const CREDENTIAL_KEYS = new Set<string>([
  RESERVED_KEYS.role,
  RESERVED_KEYS.kind,
  RESERVED_KEYS.version,
  RESERVED_KEYS.targetDomains,
  RESERVED_KEYS.headersJson,
  RESERVED_KEYS.protocol,
  RESERVED_KEYS.tlsMode,
  RESERVED_KEYS.failurePolicy,
]);
const KNOWN_KEYS = new Set<string>(Object.values(RESERVED_KEYS));

const ENUMS: Record<string, readonly string[]> = {
  [RESERVED_KEYS.protocol]: ["https", "http"],
  [RESERVED_KEYS.tlsMode]: ["terminate-reoriginate", "passthrough"],
  [RESERVED_KEYS.failurePolicy]: ["fail-closed", "fail-open"],
};

/** A problem with one metadata key; `key` is the metadata key, not a full field path. */
export interface MetadataIssue {
  key: string;
  message: string;
}

const HTTP_HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * The endpoint policy (lib/boundary/endpoint-policy.ts) decides where a token may go. Without the
 * console's CONSOLE_PRIVATE_ENDPOINTS (a form or schema, before the service) only the URL's shape
 * is checked; the service checks again with them, destination included.
 */
function llmBaseUrlProblem(value: string, privateEndpoints: PrivateEndpoints | undefined): string | null {
  const parsed = privateEndpoints ? checkEndpoint(value, privateEndpoints) : parseEndpointUrl(value);
  if (!parsed.ok) return parsed.problem;
  if (looksOpenAiCompatible(parsed.url)) {
    return "looks like an OpenAI-compatible endpoint; use an Anthropic-compatible endpoint (for example https://api.anthropic.com)";
  }
  return null;
}

/** The known OpenAI API shapes: its host, or a chat-completions / responses path anywhere. */
export function looksOpenAiCompatible(url: URL): boolean {
  const path = url.pathname.replace(/\/+$/, "");
  return withoutTrailingDot(url.hostname) === "api.openai.com" || path.endsWith("/chat/completions") || path.endsWith("/v1/responses");
}

function targetDomainsProblem(value: string): string | null {
  const domains = value.split(",").map((domain) => domain.trim());
  if (domains.length === 0 || domains.some((domain) => domain.length === 0)) {
    return "must be a comma-separated list of hostnames (for example api.example.com,*.example.org)";
  }
  const invalid = domains.find((domain) => !isBareHost(domain, { wildcard: true }));
  return invalid === undefined ? null : `${JSON.stringify(invalid)} is not a hostname or *. wildcard`;
}

function headersJsonProblem(value: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return 'must be a JSON object of header templates, such as {"Authorization":"Bearer {{token}}"}';
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    return "must be a JSON object of header templates";
  }
  const entries = Object.entries(parsed);
  if (entries.length === 0) return "must name at least one header";
  for (const [name, template] of entries) {
    if (!HTTP_HEADER_NAME.test(name)) return `${JSON.stringify(name)} is not a valid header name`;
    if (typeof template !== "string") return `the template for ${JSON.stringify(name)} must be a string`;
  }
  return null;
}

function kindIssues(metadata: Metadata, kind: "llm" | "credential", reservedKeys: string[], privateEndpoints: PrivateEndpoints | undefined): MetadataIssue[] {
  const issues: MetadataIssue[] = [];
  if (kind === "llm") {
    for (const key of reservedKeys) {
      if (!LLM_KEYS.has(key)) {
        issues.push({ key, message: "is not allowed on an LLM vault (only role, engine and llm_base_url are)" });
      }
    }
    const engine = metadata[RESERVED_KEYS.engine];
    if (engine === undefined) {
      issues.push({ key: RESERVED_KEYS.engine, message: `is required for an LLM vault; set it to "${SUPPORTED_ENGINE}"` });
    } else if (engine !== SUPPORTED_ENGINE) {
      issues.push({
        key: RESERVED_KEYS.engine,
        message:
          `${JSON.stringify(engine)} is not supported: OpenAI-compatible engine support is separate and not enabled ` +
          `for the Claude engine; use "${SUPPORTED_ENGINE}"`,
      });
    }
    const baseUrl = metadata[RESERVED_KEYS.llmBaseUrl];
    const baseUrlProblem = baseUrl === undefined ? null : llmBaseUrlProblem(baseUrl, privateEndpoints);
    if (baseUrlProblem) issues.push({ key: RESERVED_KEYS.llmBaseUrl, message: baseUrlProblem });
    return issues;
  }

  for (const key of reservedKeys) {
    if (!CREDENTIAL_KEYS.has(key)) {
      issues.push({ key, message: "is not allowed on an HTTP header credential vault (role credential)" });
    }
  }
  const required: [string, (value: string) => string | null][] = [
    [RESERVED_KEYS.kind, (value) => (value === "http_headers" ? null : 'must be "http_headers"')],
    [RESERVED_KEYS.version, (value) => (value === "1" ? null : 'must be "1"')],
    [RESERVED_KEYS.targetDomains, targetDomainsProblem],
    [RESERVED_KEYS.headersJson, headersJsonProblem],
  ];
  for (const [key, check] of required) {
    const value = metadata[key];
    const problem = value === undefined ? "is required for an HTTP header credential vault" : check(value);
    if (problem) issues.push({ key, message: problem });
  }
  for (const [key, allowed] of Object.entries(ENUMS)) {
    const value = metadata[key];
    if (value !== undefined && !allowed.includes(value)) {
      issues.push({ key, message: `must be one of ${allowed.map((option) => JSON.stringify(option)).join(", ")}` });
    }
  }
  return issues;
}

/**
 * Checks the reserved keys of `metadata` for the resource that owns it. For vaults the whole
 * (merged) metadata is checked, so create and update share one rule set. With `privateEndpoints`
 * (the services pass the console's), llm_base_url's destination is checked too.
 */
export function reservedMetadataIssues(metadata: Metadata, owner: MetadataOwner, privateEndpoints?: PrivateEndpoints): MetadataIssue[] {
  const reservedKeys = Object.keys(metadata).filter(isReservedKey);
  if (reservedKeys.length === 0) return [];
  if (owner !== "vault") {
    return reservedKeys.map((key) => ({
      key,
      message: `reserved ${RESERVED_PREFIX}* keys are allowed only on vaults, not on ${owner} metadata`,
    }));
  }

  const unknown = reservedKeys.filter((key) => !KNOWN_KEYS.has(key));
  const issues: MetadataIssue[] = unknown.map((key) => ({ key, message: "reserved key not supported" }));
  // The vault's kind, as the API spells it: the role key.
  const kind = metadata[RESERVED_KEYS.role];
  if (kind === undefined) {
    issues.push({
      key: RESERVED_KEYS.role,
      message: `is required when any ${RESERVED_PREFIX}* key is set ("llm" or "credential")`,
    });
    return issues;
  }
  if (kind !== "llm" && kind !== "credential") {
    issues.push({ key: RESERVED_KEYS.role, message: 'must be "llm" or "credential"' });
    return issues;
  }
  const known = reservedKeys.filter((key) => KNOWN_KEYS.has(key));
  return [...issues, ...kindIssues(metadata, kind, known, privateEndpoints)];
}

/** The base URL an LLM vault's runtime calls: the reserved key, or the Anthropic default. */
export function llmBaseUrlOf(metadata: Metadata): { url: string; isDefault: boolean } {
  const url = metadata[RESERVED_KEYS.llmBaseUrl];
  return url === undefined ? { url: DEFAULT_LLM_BASE_URL, isDefault: true } : { url, isDefault: false };
}

/** Valid metadata as stored: llm_base_url in its one normalized spelling (see parseEndpointUrl). */
export function normalizedVaultMetadata(metadata: Metadata): Metadata {
  const baseUrl = metadata[RESERVED_KEYS.llmBaseUrl];
  const parsed = baseUrl === undefined ? null : parseEndpointUrl(baseUrl);
  return parsed?.ok ? { ...metadata, [RESERVED_KEYS.llmBaseUrl]: parsed.normalized } : metadata;
}

/**
 * The endpoint an LLM vault's token is bound to, in the normalized spelling (the default when
 * unset), or null when the stored value does not parse (a row written before the policy).
 */
export function llmEndpointOf(metadata: Metadata): string | null {
  const parsed = parseEndpointUrl(llmBaseUrlOf(metadata).url);
  return parsed.ok ? parsed.normalized : null;
}

/** The origin an LLM credential stored now is bound to (see llmEndpointOf). */
export function llmEndpointOriginOf(metadata: Metadata): string | null {
  const endpoint = llmEndpointOf(metadata);
  return endpoint && new URL(endpoint).origin;
}
