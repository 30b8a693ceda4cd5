import type { z } from "zod";
import { describe, expect, it } from "vitest";
import { serializeVault } from "@/lib/serializers/vaults";
import { validateInput } from "@/lib/validation/parse";
import { vaultCreateSchema, vaultUpdateSchema } from "@/lib/validation/vaults";

const R = "sandbox0.managed_agents.";

function problems(schema: z.ZodType, input: unknown): string[] {
  const result = validateInput(schema, input);
  return result.ok ? [] : result.issues.map((issue) => `${issue.field}: ${issue.message}`);
}

describe("vaultCreateSchema", () => {
  it("accepts the SDK's documented shapes", () => {
    expect(vaultCreateSchema.parse({ display_name: "Example vault" })).toEqual({ display_name: "Example vault" });
    expect(vaultCreateSchema.parse({ display_name: "x", metadata: { environment: "production" } })).toEqual({
      display_name: "x",
      metadata: { environment: "production" },
    });
  });

  it("accepts an LLM vault and a credential vault", () => {
    expect(problems(vaultCreateSchema, { display_name: "llm", metadata: { [`${R}role`]: "llm", [`${R}engine`]: "claude" } })).toEqual([]);
    const credentialVault = {
      [`${R}role`]: "credential",
      [`${R}kind`]: "http_headers",
      [`${R}version`]: "1",
      [`${R}target_domains`]: "api.example.com",
      [`${R}headers_json`]: '{"Authorization":"Bearer {{token}}"}',
    };
    expect(problems(vaultCreateSchema, { display_name: "headers", metadata: credentialVault })).toEqual([]);
  });

  it("trims the display name", () => {
    expect(vaultCreateSchema.parse({ display_name: "  spaced  " }).display_name).toBe("spaced");
  });

  it("requires a non-blank display name", () => {
    expect(problems(vaultCreateSchema, {})).toEqual([expect.stringMatching(/^display_name: /)]);
    expect(problems(vaultCreateSchema, { display_name: "  " })).toEqual(["display_name: must not be empty"]);
    expect(problems(vaultCreateSchema, { display_name: "n".repeat(256) })).toEqual(["display_name: must be at most 255 characters"]);
  });

  it("rejects unknown fields", () => {
    expect(problems(vaultCreateSchema, { display_name: "x", id: "vlt_x", archived_at: null })).toEqual(["id: unknown field", "archived_at: unknown field"]);
  });

  it("applies the metadata limits", () => {
    const seventeen = Object.fromEntries(Array.from({ length: 17 }, (_, index) => [`k${index}`, "v"]));
    expect(problems(vaultCreateSchema, { display_name: "x", metadata: seventeen })).toEqual(["metadata: at most 16 pairs are allowed (got 17)"]);
    expect(problems(vaultCreateSchema, { display_name: "x", metadata: { team: 1 } })).toHaveLength(1);
  });

  it("surfaces reserved-metadata issues at metadata.<key>", () => {
    const issues = problems(vaultCreateSchema, {
      display_name: "x",
      metadata: { [`${R}role`]: "llm", [`${R}engine`]: "codex" },
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^metadata\.sandbox0\.managed_agents\.engine: .*OpenAI-compatible engine support is separate/);
  });

  it("reports the missing role at metadata.<role key>", () => {
    expect(problems(vaultCreateSchema, { display_name: "x", metadata: { [`${R}engine`]: "claude" } })).toEqual([
      expect.stringMatching(/^metadata\.sandbox0\.managed_agents\.role: is required/),
    ]);
  });

  it("reports an unsupported reserved key at its own path", () => {
    expect(problems(vaultCreateSchema, { display_name: "x", metadata: { [`${R}role`]: "llm", [`${R}engine`]: "claude", [`${R}x`]: "1" } })).toEqual([
      "metadata.sandbox0.managed_agents.x: reserved key not supported",
    ]);
  });
});

describe("vaultUpdateSchema", () => {
  it("accepts a rename and a metadata patch", () => {
    expect(vaultUpdateSchema.parse({ display_name: " new name ", metadata: { a: "1", b: null } })).toEqual({
      display_name: "new name",
      metadata: { a: "1", b: null },
    });
    expect(vaultUpdateSchema.parse({})).toEqual({});
    expect(vaultUpdateSchema.parse({ metadata: null })).toEqual({ metadata: null });
  });

  it("rejects unknown fields and invalid values", () => {
    expect(problems(vaultUpdateSchema, { type: "vault" })).toEqual(["type: unknown field"]);
    expect(problems(vaultUpdateSchema, { display_name: "" })).toEqual(["display_name: must not be empty"]);
    expect(problems(vaultUpdateSchema, { metadata: { a: 1 } })).toHaveLength(1);
  });
});

describe("serializeVault", () => {
  const row = {
    id: "vlt_abc",
    displayName: "Example",
    metadata: { team: "research", dropped: 1 },
    createdAt: new Date("2026-03-15T10:00:00Z"),
    updatedAt: new Date("2026-03-16T10:00:00Z"),
    archivedAt: null,
    secretCiphertext: new Uint8Array([1, 2, 3]),
  };

  it("returns exactly the fields of the API's vault object", () => {
    expect(serializeVault(row)).toEqual({
      type: "vault",
      id: "vlt_abc",
      display_name: "Example",
      metadata: { team: "research" },
      created_at: "2026-03-15T10:00:00.000Z",
      updated_at: "2026-03-16T10:00:00.000Z",
      archived_at: null,
    });
  });

  it("formats archived_at once archived", () => {
    expect(serializeVault({ ...row, archivedAt: new Date("2026-04-01T00:00:00Z") }).archived_at).toBe("2026-04-01T00:00:00.000Z");
  });
});
