import type { z } from "zod";
import { ConsoleError } from "@/lib/errors";

/** `metadata.sandbox0.managed_agents.engine`, `auth.networking.allowed_hosts[2]`, or `body` at the root. */
export function fieldPath(path: ReadonlyArray<PropertyKey>, root = "body"): string {
  let text = "";
  for (const part of path) {
    if (typeof part === "number") text += `[${part}]`;
    else text += text ? `.${String(part)}` : String(part);
  }
  return text || root;
}

export interface FieldIssue {
  field: string;
  message: string;
}

function describe(issue: z.core.$ZodIssue): string {
  // Needs `reportInput` (see validateInput); the input is only compared, never put in a message.
  if (issue.code === "invalid_type" && "input" in issue && issue.input === undefined) return "is required";
  if (issue.code === "invalid_type") return `must be of type ${issue.expected}`;
  if (issue.code === "invalid_union" && "note" in issue && issue.note === "No matching discriminator") {
    const options = "options" in issue && Array.isArray(issue.options) ? issue.options : [];
    return `must be one of ${options.map((option) => JSON.stringify(option)).join(", ")}`;
  }
  return issue.message;
}

/** Zod issues as one message per field, unknown keys reported one by one. */
export function fieldIssues(issues: ReadonlyArray<z.core.$ZodIssue>, root?: string): FieldIssue[] {
  const result: FieldIssue[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        result.push({ field: fieldPath([...issue.path, key], root), message: "unknown field" });
      }
    } else {
      result.push({ field: fieldPath(issue.path, root), message: describe(issue) });
    }
  }
  return result;
}

const MAX_ISSUES_IN_MESSAGE = 5;

/**
 * PostgreSQL text cannot hold NUL, and no name, URL or token legitimately contains one; jsonb cannot
 * hold a lone UTF-16 surrogate either (text would silently store U+FFFD in its place). Any string
 * (or object key) carrying one is refused up front with its field named.
 */
interface Visit {
  value: unknown;
  key?: PropertyKey;
  parent?: Visit;
}

function pathOf(visit: Visit): PropertyKey[] {
  const path: PropertyKey[] = [];
  for (let at: Visit | undefined = visit; at?.key !== undefined; at = at.parent) path.unshift(at.key);
  return path;
}

/** In Unicode mode a well-formed pair is one code point, so this matches lone surrogates only. */
const LONE_SURROGATE = /\p{Surrogate}/u;

const UNSTORABLE_MESSAGES = {
  nul: "must not contain NUL (\\u0000) characters",
  surrogate: "must be well-formed Unicode: it holds a lone UTF-16 surrogate",
} as const;

function unstorable(text: string): keyof typeof UNSTORABLE_MESSAGES | null {
  if (text.includes("\u0000")) return "nul";
  return LONE_SURROGATE.test(text) ? "surrogate" : null;
}

function findUnstorableString(input: unknown): { path: PropertyKey[]; problem: keyof typeof UNSTORABLE_MESSAGES } | null {
  // Iterative with parent links: a hostile body may nest far deeper than the call stack allows.
  const pending: Visit[] = [{ value: input }];
  for (let visit = pending.pop(); visit; visit = pending.pop()) {
    const { value } = visit;
    if (typeof value === "string") {
      const problem = unstorable(value);
      if (problem) return { path: pathOf(visit), problem };
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => pending.push({ value: item, key: index, parent: visit }));
    } else if (value && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) {
        const problem = unstorable(key);
        // The key is the field's name, shown escaped so that the message itself stays storable.
        if (problem) return { path: [...pathOf(visit), JSON.stringify(key).slice(1, -1)], problem };
        pending.push({ value: item, key, parent: visit });
      }
    }
  }
  return null;
}

export type Validated<T> = { ok: true; data: T } | { ok: false; issues: FieldIssue[] };

/**
 * Validates input against a schema, reporting one issue per field. The one way input is checked at
 * an edge (route handlers through parseInput, forms through their action), so both say the same.
 */
export function validateInput<Schema extends z.ZodType>(schema: Schema, input: unknown, root?: string): Validated<z.output<Schema>> {
  const unstorableAt = findUnstorableString(input);
  if (unstorableAt) return { ok: false, issues: [{ field: fieldPath(unstorableAt.path, root), message: UNSTORABLE_MESSAGES[unstorableAt.problem] }] };
  // reportInput lets `describe` tell a missing field from a wrong-typed one.
  const result = schema.safeParse(input, { reportInput: true });
  return result.success ? { ok: true, data: result.data } : { ok: false, issues: fieldIssues(result.error.issues, root) };
}

/** Parses input at an edge; a failure is a 400 whose message names every offending field. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown, root?: string): z.output<Schema> {
  const result = validateInput(schema, input, root);
  if (result.ok) return result.data;
  const { issues } = result;
  const shown = issues.slice(0, MAX_ISSUES_IN_MESSAGE).map((issue) => `${issue.field}: ${issue.message}`);
  if (issues.length > MAX_ISSUES_IN_MESSAGE) shown.push(`and ${issues.length - MAX_ISSUES_IN_MESSAGE} more`);
  throw new ConsoleError("invalid_request_error", shown.join("; "), { field: issues[0]?.field });
}
