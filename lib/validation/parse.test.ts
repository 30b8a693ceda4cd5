import { z } from "zod";
import { describe, expect, it } from "vitest";
import { ConsoleError } from "@/lib/errors";
import { fieldIssues, fieldPath, parseInput, validateInput } from "@/lib/validation/parse";

const schema = z.strictObject({
  display_name: z.string(),
  count: z.number().optional(),
  auth: z
    .discriminatedUnion("type", [
      z.strictObject({ type: z.literal("static_bearer"), token: z.string() }),
      z.strictObject({ type: z.literal("mcp_oauth"), access_token: z.string() }),
    ])
    .optional(),
});

function issuesOf(input: unknown, root?: string) {
  const result = validateInput(schema, input, root);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.issues;
}

function thrown(run: () => unknown): ConsoleError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConsoleError);
    return error as ConsoleError;
  }
  throw new Error("expected a ConsoleError, but nothing was thrown");
}

describe("fieldPath", () => {
  it("joins keys with dots and indexes with brackets", () => {
    expect(fieldPath(["a", "b", 2, "c"])).toBe("a.b[2].c");
    expect(fieldPath(["auth", "networking", "allowed_hosts", 2])).toBe("auth.networking.allowed_hosts[2]");
  });

  it("keeps dots inside a metadata key as they are", () => {
    expect(fieldPath(["metadata", "sandbox0.managed_agents.engine"])).toBe("metadata.sandbox0.managed_agents.engine");
  });

  it("names the root body, or the given root", () => {
    expect(fieldPath([])).toBe("body");
    expect(fieldPath([], "query")).toBe("query");
  });

  it("starts with an index when the path does", () => {
    expect(fieldPath([0, "name"])).toBe("[0].name");
  });
});

describe("fieldIssues", () => {
  it("reports each unknown key as its own field", () => {
    const issues = issuesOf({ display_name: "x", extra: 1, other: 2 });
    expect(issues).toEqual([
      { field: "extra", message: "unknown field" },
      { field: "other", message: "unknown field" },
    ]);
  });

  it("reports unknown keys nested in an object at their full path", () => {
    expect(issuesOf({ display_name: "x", auth: { type: "static_bearer", token: "t", mcp: "u" } })).toEqual([{ field: "auth.mcp", message: "unknown field" }]);
  });

  it("says a missing field is required", () => {
    expect(issuesOf({})).toEqual([{ field: "display_name", message: "is required" }]);
    expect(issuesOf({ display_name: "x", auth: { type: "static_bearer" } })).toEqual([{ field: "auth.token", message: "is required" }]);
  });

  it("names the expected type of a wrong-typed field", () => {
    expect(issuesOf({ display_name: 42 })).toEqual([{ field: "display_name", message: "must be of type string" }]);
  });

  it("lists the allowed values of an unknown discriminator", () => {
    expect(issuesOf({ display_name: "x", auth: { type: "basic" } })).toEqual([{ field: "auth.type", message: 'must be one of "static_bearer", "mcp_oauth"' }]);
  });

  it("reports a non-object body at the root", () => {
    expect(issuesOf("text")).toEqual([{ field: "body", message: "must be of type object" }]);
    expect(issuesOf("text", "query")).toEqual([{ field: "query", message: "must be of type object" }]);
  });

  it("keeps custom messages", () => {
    const result = z.string().min(3, "must be at least 3 characters").safeParse("ab");
    expect(fieldIssues(result.error?.issues ?? [])).toEqual([{ field: "body", message: "must be at least 3 characters" }]);
  });
});

describe("parseInput", () => {
  it("returns the parsed value", () => {
    expect(parseInput(schema, { display_name: "x", count: 2 })).toEqual({ display_name: "x", count: 2 });
  });

  it("throws invalid_request_error naming every field", () => {
    const error = thrown(() => parseInput(schema, { display_name: 1, count: "2", extra: true }));
    expect(error.type).toBe("invalid_request_error");
    expect(error.status).toBe(400);
    expect(error.message).toContain("display_name: must be of type string");
    expect(error.message).toContain("count: must be of type number");
    expect(error.message).toContain("extra: unknown field");
  });

  it("sets the error's field to the first offending field", () => {
    expect(thrown(() => parseInput(schema, {})).field).toBe("display_name");
  });

  it("shows at most 5 issues and counts the rest", () => {
    const input = { display_name: "x", a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7 };
    const { message } = thrown(() => parseInput(schema, input));
    expect(message).toBe("a: unknown field; b: unknown field; c: unknown field; d: unknown field; e: unknown field; and 2 more");
  });

  it("shows exactly 5 issues without a count", () => {
    const { message } = thrown(() => parseInput(schema, { display_name: "x", a: 1, b: 2, c: 3, d: 4, e: 5 }));
    expect(message.split("; ")).toHaveLength(5);
    expect(message).not.toMatch(/more/);
  });

  it("uses the given root for a root-level problem", () => {
    expect(thrown(() => parseInput(schema, null, "query")).message).toBe("query: must be of type object");
  });
});

describe("validateInput", () => {
  it("refuses a NUL character anywhere, naming the field (PostgreSQL text cannot hold it)", () => {
    expect(validateInput(schema, { display_name: "a\u0000b" })).toEqual({
      ok: false,
      issues: [{ field: "display_name", message: "must not contain NUL (\\u0000) characters" }],
    });
    const nested = validateInput(schema, { display_name: "x", auth: { type: "static_bearer", token: "t\u0000" } });
    expect(nested.ok ? [] : nested.issues.map((issue) => issue.field)).toEqual(["auth.token"]);
  });

  it("refuses a lone surrogate (jsonb cannot hold it), naming the field, and takes well-formed pairs", () => {
    expect(validateInput(schema, { display_name: "lone \ud800 surrogate" })).toEqual({
      ok: false,
      issues: [{ field: "display_name", message: "must be well-formed Unicode: it holds a lone UTF-16 surrogate" }],
    });
    const trailing = validateInput(schema, { display_name: "x", auth: { type: "static_bearer", token: "t\udc00" } });
    expect(trailing.ok ? [] : trailing.issues.map((issue) => issue.field)).toEqual(["auth.token"]);
    expect(validateInput(schema, { display_name: "grin \u{1F600}" }).ok).toBe(true);
  });
});

describe("validateInput on hostile nesting", () => {
  it("answers with field issues for JSON nested 100,000 levels deep instead of overflowing", () => {
    const deep = JSON.parse(`${"[".repeat(100_000)}${"]".repeat(100_000)}`) as unknown;
    const result = validateInput(schema, { display_name: "x", auth: deep });
    expect(result.ok).toBe(false);
  });
});
