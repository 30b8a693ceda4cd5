import { z } from "zod";
import { invalidField } from "@/lib/errors";

import { DISPLAY_NAME_MAX, METADATA_KEY_MAX, METADATA_MAX_PAIRS, METADATA_VALUE_MAX, URL_MAX } from "@/lib/validation/limits";

export { DISPLAY_NAME_MAX, METADATA_KEY_MAX, METADATA_MAX_PAIRS, METADATA_VALUE_MAX, URL_MAX };

export type Metadata = Record<string, string>;
export type MetadataPatch = Record<string, string | null>;

/** A display name: trimmed, then 1–255 characters. */
export const displayNameSchema = z
  .string({ error: "must be a string" })
  .transform((value) => value.trim())
  .pipe(z.string().min(1, "must not be empty").max(DISPLAY_NAME_MAX, `must be at most ${DISPLAY_NAME_MAX} characters`));

function checkMetadataEntries(entries: [string, string | null][], context: z.RefinementCtx): void {
  for (const [key, value] of entries) {
    if (key.length === 0) {
      context.addIssue({ code: "custom", path: [key], message: "metadata keys must not be empty" });
    } else if (key.length > METADATA_KEY_MAX) {
      context.addIssue({ code: "custom", path: [key], message: `key must be at most ${METADATA_KEY_MAX} characters` });
    }
    if (value !== null && value.length > METADATA_VALUE_MAX) {
      context.addIssue({ code: "custom", path: [key], message: `value must be at most ${METADATA_VALUE_MAX} characters` });
    }
  }
}

export function metadataPairCountMessage(count: number): string {
  return `at most ${METADATA_MAX_PAIRS} pairs are allowed (got ${count})`;
}

/** Metadata as sent on create: string values only, within the pair, key and value limits. */
export const metadataSchema = z
  .record(z.string(), z.string({ error: "values must be strings" }), { error: "must be an object of strings" })
  .superRefine((metadata, context) => {
    const entries = Object.entries(metadata);
    if (entries.length > METADATA_MAX_PAIRS) {
      context.addIssue({ code: "custom", message: metadataPairCountMessage(entries.length) });
    }
    checkMetadataEntries(entries, context);
  });

/** Metadata as sent on update: a patch where a string upserts and null deletes. */
export const metadataPatchSchema = z
  .record(z.string(), z.string({ error: "values must be strings or null" }).nullable(), {
    error: "must be an object of strings or nulls",
  })
  .superRefine((patch, context) => checkMetadataEntries(Object.entries(patch), context));

/** Applies a metadata patch: a string upserts, null deletes, omitted keys stay. */
export function applyMetadataPatch(current: Metadata, patch: MetadataPatch | null | undefined): Metadata {
  if (!patch) return current;
  const next: Metadata = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}

/** Applies an update's patch to stored metadata; the pair limit applies to the result (a 400). */
export function patchStoredMetadata(stored: unknown, patch: MetadataPatch | null | undefined): Metadata {
  const metadata = applyMetadataPatch(storedMetadata(stored), patch);
  const pairCount = Object.keys(metadata).length;
  if (pairCount > METADATA_MAX_PAIRS) throw invalidField("metadata", metadataPairCountMessage(pairCount));
  return metadata;
}

/** Reads a stored metadata JSON value back as a string map. */
export function storedMetadata(value: unknown): Metadata {
  const result: Metadata = {};
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, entry] of Object.entries(value)) {
      if (typeof entry === "string") result[key] = entry;
    }
  }
  return result;
}

/** `api.openai.com.` is the same host as `api.openai.com`; compare names without the root dot. */
export function withoutTrailingDot(hostname: string): string {
  return hostname.endsWith(".") ? hostname.slice(0, -1) : hostname;
}

const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** A bare host: a DNS name, an IPv4 address, or (when allowed) a `*.` wildcard over a DNS name. */
export function isBareHost(value: string, options: { wildcard: boolean }): boolean {
  if (IPV4.test(value)) return true;
  const name = options.wildcard && value.startsWith("*.") ? value.slice(2) : value;
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split(".");
  return labels.every((label) => HOST_LABEL.test(label)) && !/^\d+$/.test(labels[labels.length - 1] ?? "");
}

/** An absolute http(s) URL within the length limit; `null` when it is fine, else the reason. */
export function httpUrlProblem(value: string): string | null {
  if (value.length > URL_MAX) return `must be at most ${URL_MAX} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute URL";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must be an http or https URL";
  if (url.username || url.password) return "must not contain credentials";
  return null;
}

/**
 * The form two URLs are compared in for "one active credential per MCP server URL": scheme and
 * host lowercased (URL does that), default port dropped, fragment dropped, trailing slash dropped.
 */
export function canonicalUrl(value: string): string {
  const url = new URL(value);
  const pathname = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : "";
  return `${url.protocol}//${url.host}${pathname}${url.search}`;
}
