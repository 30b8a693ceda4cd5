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
 * PostgreSQL text cannot hold NUL, and no name, URL or token legitimately contains one, so any
 * string (or object key) carrying it is refused up front with its field named.
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

function findNulCharacter(input: unknown): PropertyKey[] | null {
  // Iterative with parent links: a hostile body may nest far deeper than the call stack allows.
  const pending: Visit[] = [{ value: input }];
  for (let visit = pending.pop(); visit; visit = pending.pop()) {
    const { value } = visit;
    if (typeof value === "string") {
      if (value.includes("\u0000")) return pathOf(visit);
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => pending.push({ value: item, key: index, parent: visit }));
    } else if (value && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) {
        if (key.includes("\u0000")) return [...pathOf(visit), key.replaceAll("\u0000", "\\u0000")];
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
  const nulAt = findNulCharacter(input);
  if (nulAt) return { ok: false, issues: [{ field: fieldPath(nulAt, root), message: "must not contain NUL (\\u0000) characters" }] };
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
