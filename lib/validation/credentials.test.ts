import type { z } from "zod";
import { describe, expect, it } from "vitest";
import { credentialCreateSchema, credentialUpdateSchema, networkingSchema, SECRET_NAME_PATTERN } from "@/lib/validation/credentials";
import { validateInput } from "@/lib/validation/parse";

const MCP_URL = "https://example-server.modelcontextprotocol.io/sse";

/** `field: message` for every problem, or [] when the input is accepted. */
function problems(schema: z.ZodType, input: unknown): string[] {
  const result = validateInput(schema, input);
  return result.ok ? [] : result.issues.map((issue) => `${issue.field}: ${issue.message}`);
}

function expectAccepted(schema: z.ZodType, input: unknown): void {
  expect(problems(schema, input)).toEqual([]);
}

function expectRejected(schema: z.ZodType, input: unknown, field: string, message?: RegExp): void {
  const found = problems(schema, input);
  const forField = found.filter((problem) => problem.startsWith(`${field}: `));
  expect(forField, `expected a problem at ${field}, got ${JSON.stringify(found)}`).not.toEqual([]);
  if (message) expect(forField.join("\n")).toMatch(message);
}

const createStatic = (auth: Record<string, unknown> = {}) => ({
  auth: { type: "static_bearer", token: "bearer_exampletoken", mcp_server_url: MCP_URL, ...auth },
});

const refresh = (overrides: Record<string, unknown> = {}) => ({
  client_id: "client-123",
  refresh_token: "refresh_exampletoken",
  token_endpoint: "https://auth.example.com/oauth/token",
  token_endpoint_auth: { type: "client_secret_basic", client_secret: "shh" },
  ...overrides,
});

const createOauth = (auth: Record<string, unknown> = {}) => ({
  auth: { type: "mcp_oauth", mcp_server_url: MCP_URL, access_token: "access_exampletoken", ...auth },
});

const createEnv = (auth: Record<string, unknown> = {}) => ({
  auth: {
    type: "environment_variable",
    secret_name: "GITHUB_TOKEN",
    secret_value: "ghp_example",
    networking: { type: "unrestricted" },
    ...auth,
  },
});

const hosts = (count: number) => Array.from({ length: count }, (_, index) => `host${index}.example.com`);

describe("credentialCreateSchema: static_bearer", () => {
  it("accepts the SDK's documented shape", () => {
    expectAccepted(credentialCreateSchema, createStatic());
    expectAccepted(credentialCreateSchema, { display_name: "GitHub MCP", metadata: { team: "x" }, ...createStatic() });
  });

  it("accepts an LLM credential without mcp_server_url (the vault's role decides)", () => {
    expectAccepted(credentialCreateSchema, { auth: { type: "static_bearer", token: "sk-ant-example" } });
  });

  it("accepts a token of 8192 characters and rejects 8193", () => {
    expectAccepted(credentialCreateSchema, createStatic({ token: "t".repeat(8192) }));
    expectRejected(credentialCreateSchema, createStatic({ token: "t".repeat(8193) }), "auth.token", /8192/);
  });

  it("rejects an empty or missing token", () => {
    expectRejected(credentialCreateSchema, createStatic({ token: "" }), "auth.token", /empty/);
    expectRejected(credentialCreateSchema, { auth: { type: "static_bearer", mcp_server_url: MCP_URL } }, "auth.token");
  });

  it("rejects unknown fields at every level", () => {
    expectRejected(credentialCreateSchema, { ...createStatic(), vault_id: "vlt_x" }, "vault_id", /unknown field/);
    expectRejected(credentialCreateSchema, createStatic({ headers: {} }), "auth.headers", /unknown field/);
  });

  it("rejects an unknown auth type, listing the known ones", () => {
    expectRejected(credentialCreateSchema, { auth: { type: "basic", token: "x" } }, "auth.type", /static_bearer/);
  });

  it("requires auth", () => {
    expectRejected(credentialCreateSchema, { display_name: "x" }, "auth", /is required/);
  });

  it("trims the display name and rejects a blank one", () => {
    expect(credentialCreateSchema.parse({ display_name: "  GitHub  ", ...createStatic() }).display_name).toBe("GitHub");
    expectRejected(credentialCreateSchema, { display_name: "   ", ...createStatic() }, "display_name");
  });

  it("rejects reserved metadata keys on a credential, at metadata.<key>", () => {
    const input = { metadata: { "sandbox0.managed_agents.role": "llm" }, ...createStatic() };
    expectRejected(credentialCreateSchema, input, "metadata.sandbox0.managed_agents.role", /credential metadata/);
  });
});

describe("credentialCreateSchema: mcp_oauth", () => {
  it("accepts the documented shape with and without refresh", () => {
    expectAccepted(credentialCreateSchema, createOauth());
    expectAccepted(credentialCreateSchema, createOauth({ expires_at: "2030-03-15T10:00:00Z", refresh: null }));
    expectAccepted(
      credentialCreateSchema,
      createOauth({ expires_at: "2030-03-15T10:00:00+02:00", refresh: refresh({ scope: "read write", resource: MCP_URL }) }),
    );
  });

  it.each([{ type: "none" }, { type: "client_secret_basic", client_secret: "s" }, { type: "client_secret_post", client_secret: "s" }])(
    "accepts token_endpoint_auth %j",
    (tokenEndpointAuth) => {
      expectAccepted(credentialCreateSchema, createOauth({ refresh: refresh({ token_endpoint_auth: tokenEndpointAuth }) }));
    },
  );

  it("requires mcp_server_url to be an absolute http(s) URL", () => {
    expectRejected(credentialCreateSchema, createOauth({ mcp_server_url: undefined }), "auth.mcp_server_url", /required/);
    expectRejected(credentialCreateSchema, createOauth({ mcp_server_url: "example.com/sse" }), "auth.mcp_server_url", /absolute/);
    expectRejected(credentialCreateSchema, createOauth({ mcp_server_url: "ftp://example.com" }), "auth.mcp_server_url");
  });

  it("rejects a timestamp that is not RFC 3339", () => {
    expectRejected(credentialCreateSchema, createOauth({ expires_at: "tomorrow" }), "auth.expires_at", /RFC 3339/);
    expectRejected(credentialCreateSchema, createOauth({ expires_at: "2030-03-15 10:00" }), "auth.expires_at");
  });

  it("limits access_token to 8192, refresh_token to 4096 and client_secret to 512 characters", () => {
    expectAccepted(credentialCreateSchema, createOauth({ access_token: "a".repeat(8192) }));
    expectRejected(credentialCreateSchema, createOauth({ access_token: "a".repeat(8193) }), "auth.access_token", /8192/);

    expectAccepted(credentialCreateSchema, createOauth({ refresh: refresh({ refresh_token: "r".repeat(4096) }) }));
    expectRejected(credentialCreateSchema, createOauth({ refresh: refresh({ refresh_token: "r".repeat(4097) }) }), "auth.refresh.refresh_token", /4096/);

    const secret = (length: number) => ({ type: "client_secret_post", client_secret: "c".repeat(length) });
    expectAccepted(credentialCreateSchema, createOauth({ refresh: refresh({ token_endpoint_auth: secret(512) }) }));
    expectRejected(
      credentialCreateSchema,
      createOauth({ refresh: refresh({ token_endpoint_auth: secret(513) }) }),
      "auth.refresh.token_endpoint_auth.client_secret",
      /512/,
    );
  });

  it("requires a client_secret for the client_secret_* methods and none for none", () => {
    expectRejected(
      credentialCreateSchema,
      createOauth({ refresh: refresh({ token_endpoint_auth: { type: "client_secret_basic" } }) }),
      "auth.refresh.token_endpoint_auth.client_secret",
    );
    expectRejected(
      credentialCreateSchema,
      createOauth({ refresh: refresh({ token_endpoint_auth: { type: "none", client_secret: "s" } }) }),
      "auth.refresh.token_endpoint_auth.client_secret",
      /unknown field/,
    );
  });

  it("requires the refresh fields", () => {
    const { client_id: _clientId, ...withoutClientId } = refresh();
    expectRejected(credentialCreateSchema, createOauth({ refresh: withoutClientId }), "auth.refresh.client_id", /required/);
    expectRejected(credentialCreateSchema, createOauth({ refresh: refresh({ token_endpoint: "not a url" }) }), "auth.refresh.token_endpoint");
  });
});

describe("credentialCreateSchema: environment_variable", () => {
  it("accepts unrestricted and limited networking", () => {
    expectAccepted(credentialCreateSchema, createEnv());
    expectAccepted(
      credentialCreateSchema,
      createEnv({
        networking: { type: "limited", allowed_hosts: ["api.github.com", "*.githubusercontent.com", "10.0.0.1"] },
        injection_location: { header: true, body: false },
      }),
    );
  });

  it.each(["GITHUB_TOKEN", "_private", "a", "A1_B2"])("accepts the secret name %j", (name) => {
    expect(name).toMatch(SECRET_NAME_PATTERN);
    expectAccepted(credentialCreateSchema, createEnv({ secret_name: name }));
  });

  it.each(["1TOKEN", "MY-TOKEN", "MY TOKEN", "", "TOKEN$", "ÄPFEL"])("rejects the secret name %j", (name) => {
    expectRejected(credentialCreateSchema, createEnv({ secret_name: name }), "auth.secret_name");
  });

  it("limits secret_value to 8192 characters", () => {
    expectAccepted(credentialCreateSchema, createEnv({ secret_value: "v".repeat(8192) }));
    expectRejected(credentialCreateSchema, createEnv({ secret_value: "v".repeat(8193) }), "auth.secret_value", /8192/);
  });

  it("allows at most 16 allowed_hosts and at least one", () => {
    expectAccepted(networkingSchema, { type: "limited", allowed_hosts: hosts(16) });
    expectRejected(networkingSchema, { type: "limited", allowed_hosts: hosts(17) }, "allowed_hosts", /16/);
    expectRejected(networkingSchema, { type: "limited", allowed_hosts: [] }, "allowed_hosts", /at least one/);
  });

  it.each(["https://api.github.com", "api.github.com:443", "api.github.com/path", "[::1]", "example.com."])(
    "rejects the allowed host %j, naming its index",
    (host) => {
      expectRejected(
        credentialCreateSchema,
        createEnv({ networking: { type: "limited", allowed_hosts: ["ok.example.com", host] } }),
        "auth.networking.allowed_hosts[1]",
        /bare hostname/,
      );
    },
  );

  it("rejects allowed_hosts on unrestricted networking", () => {
    expectRejected(networkingSchema, { type: "unrestricted", allowed_hosts: ["a.com"] }, "allowed_hosts", /unknown field/);
  });

  it("rejects a non-boolean injection location", () => {
    expectRejected(credentialCreateSchema, createEnv({ injection_location: { header: "yes" } }), "auth.injection_location.header");
  });
});

describe("credentialUpdateSchema", () => {
  it("accepts the SDK's documented update shapes", () => {
    expectAccepted(credentialUpdateSchema, {});
    expectAccepted(credentialUpdateSchema, { display_name: "renamed", metadata: { team: "x", old: null } });
    expectAccepted(credentialUpdateSchema, { auth: { type: "static_bearer", token: "new-token" } });
    expectAccepted(credentialUpdateSchema, { auth: { type: "static_bearer", token: null } });
    expectAccepted(credentialUpdateSchema, {
      auth: {
        type: "mcp_oauth",
        access_token: "new-access",
        expires_at: "2030-01-01T00:00:00Z",
        refresh: { refresh_token: "new-refresh", scope: "read", token_endpoint_auth: { type: "client_secret_post", client_secret: "s" } },
      },
    });
    expectAccepted(credentialUpdateSchema, {
      auth: { type: "environment_variable", secret_value: "v", networking: { type: "limited", allowed_hosts: ["a.com"] } },
    });
  });

  it.each([
    [{ type: "static_bearer", mcp_server_url: MCP_URL }, "auth.mcp_server_url"],
    [{ type: "mcp_oauth", mcp_server_url: MCP_URL }, "auth.mcp_server_url"],
    [{ type: "environment_variable", secret_name: "OTHER" }, "auth.secret_name"],
    [{ type: "mcp_oauth", refresh: { client_id: "other" } }, "auth.refresh.client_id"],
    [{ type: "mcp_oauth", refresh: { token_endpoint: "https://other.example.com/token" } }, "auth.refresh.token_endpoint"],
  ])("rejects the immutable field in %j, saying it cannot change", (auth, field) => {
    expectRejected(credentialUpdateSchema, { auth }, field, /cannot change/);
  });

  it("rejects an immutable field even when sent with a valid secret rotation", () => {
    expectRejected(
      credentialUpdateSchema,
      { auth: { type: "static_bearer", token: "rotated", mcp_server_url: MCP_URL } },
      "auth.mcp_server_url",
      /cannot change/,
    );
  });

  it("keeps the secret limits on rotation", () => {
    expectRejected(credentialUpdateSchema, { auth: { type: "static_bearer", token: "t".repeat(8193) } }, "auth.token", /8192/);
    expectRejected(credentialUpdateSchema, { auth: { type: "static_bearer", token: "" } }, "auth.token");
    expectRejected(credentialUpdateSchema, { auth: { type: "mcp_oauth", refresh: { refresh_token: "r".repeat(4097) } } }, "auth.refresh.refresh_token", /4096/);
    expectRejected(
      credentialUpdateSchema,
      { auth: { type: "mcp_oauth", refresh: { token_endpoint_auth: { type: "client_secret_basic", client_secret: "c".repeat(513) } } } },
      "auth.refresh.token_endpoint_auth.client_secret",
      /512/,
    );
    expectRejected(credentialUpdateSchema, { auth: { type: "environment_variable", secret_value: "v".repeat(8193) } }, "auth.secret_value", /8192/);
  });

  it("rejects unknown fields", () => {
    expectRejected(credentialUpdateSchema, { auth: { type: "static_bearer", tokn: "x" } }, "auth.tokn", /unknown field/);
    expectRejected(credentialUpdateSchema, { vault_id: "vlt_x" }, "vault_id", /unknown field/);
  });

  it("rejects upserting a reserved metadata key but lets one be deleted", () => {
    expectRejected(credentialUpdateSchema, { metadata: { "sandbox0.managed_agents.role": "llm" } }, "metadata.sandbox0.managed_agents.role", /only on vaults/);
    expectAccepted(credentialUpdateSchema, { metadata: { "sandbox0.managed_agents.role": null } });
  });
});
