// Credentials through the official SDK (`client.beta.vaults.credentials`): SPEC §4.
import { randomBytes } from "node:crypto";

import type {
  BetaManagedAgentsEnvironmentVariableCreateParams,
  BetaManagedAgentsMCPOAuthCreateParams,
} from "@anthropic-ai/sdk/resources/beta/vaults/credentials";
import { describe, expect, it } from "vitest";

import {
  CREDENTIAL_KEYS,
  authOf,
  SECRET_MARKER,
  client,
  createStaticBearer,
  createVault,
  credentialVaultMetadata,
  expectApiError,
  expectNoSecretFields,
  expectTimestamp,
  guardResponses,
  hintFor,
  llmCredentialAuth,
  llmVaultMetadata,
  listAllCredentialIds,
  secret,
  tokenHintOf,
  unchecked,
  uniqueMcpUrl,
  type Credential,
  type MessageCheck,
} from "./support";

guardResponses();

const anthropic = client();
const credentials = anthropic.beta.vaults.credentials;

/** A secret of exactly `length` characters (≥ 13) that still carries the marker. */
function secretOfLength(length: number): string {
  const padding = randomBytes(length).toString("base64url");
  return `${SECRET_MARKER}${padding}`.slice(0, length);
}

function inOneHour(): string {
  return new Date(Math.floor(Date.now() / 1000) * 1000 + 60 * 60 * 1000).toISOString();
}

function expectCredentialShape(credential: Credential, vaultId: string): void {
  expect(Object.keys(credential).sort()).toEqual(CREDENTIAL_KEYS);
  expect(credential.type).toBe("vault_credential");
  expect(credential.id).toMatch(/^vcrd_[A-Za-z0-9_-]{16,}$/);
  expect(credential.vault_id).toBe(vaultId);
  expectTimestamp(credential.created_at, "created_at");
  expectTimestamp(credential.updated_at, "updated_at");
  expectNoSecretFields(credential, "credential");
  const hint = tokenHintOf(credential);
  if (hint !== null) expect(hint).toMatch(/^….{4}$/u);
}

/** A credential create refused with 400, naming the field. */
async function expectCreateRefused(vaultId: string, params: Parameters<typeof credentials.create>[1], field: MessageCheck): Promise<void> {
  await expectApiError(credentials.create(vaultId, params), 400, "invalid_request_error", field);
}

function oauthParams(overrides: Partial<BetaManagedAgentsMCPOAuthCreateParams> = {}): BetaManagedAgentsMCPOAuthCreateParams {
  return {
    type: "mcp_oauth",
    access_token: secret("oauth-access"),
    mcp_server_url: uniqueMcpUrl("oauth"),
    expires_at: inOneHour(),
    refresh: {
      client_id: "client-e2e",
      refresh_token: secret("oauth-refresh"),
      token_endpoint: "https://auth.example.com/oauth/token",
      token_endpoint_auth: { type: "client_secret_post", client_secret: secret("oauth-client") },
      scope: "repo read:org",
      resource: "https://mcp.example.com",
    },
    ...overrides,
  };
}

function envParams(overrides: Partial<BetaManagedAgentsEnvironmentVariableCreateParams> = {}): BetaManagedAgentsEnvironmentVariableCreateParams {
  return {
    type: "environment_variable",
    secret_name: "GITHUB_TOKEN",
    secret_value: secret("env"),
    networking: { type: "limited", allowed_hosts: ["api.github.com", "*.githubusercontent.com", "192.0.2.1"] },
    injection_location: { header: true, body: false },
    ...overrides,
  };
}

describe("static_bearer in a plain vault", () => {
  it("creates the credential and returns only non-secret fields", async () => {
    const vault = await createVault(anthropic, "static");
    const token = secret("static");
    const url = uniqueMcpUrl();
    const credential = await credentials.create(vault.id, {
      display_name: "GitHub MCP",
      metadata: { env: "prod" },
      auth: { type: "static_bearer", token, mcp_server_url: url },
    });
    expectCredentialShape(credential, vault.id);
    expect(credential.display_name).toBe("GitHub MCP");
    expect(credential.metadata).toEqual({ env: "prod" });
    expect(credential.auth).toEqual({ type: "static_bearer", mcp_server_url: url });
    expect(credential.archived_at).toBeNull();
    expect(tokenHintOf(credential)).toBe(hintFor(token));

    expect(await credentials.retrieve(credential.id, { vault_id: vault.id })).toEqual(credential);
  });

  it("defaults display_name to null and metadata to {}", async () => {
    const vault = await createVault(anthropic, "static defaults");
    const credential = await createStaticBearer(anthropic, vault.id);
    expect(credential.display_name).toBeNull();
    expect(credential.metadata).toEqual({});
  });

  it("requires mcp_server_url", async () => {
    const vault = await createVault(anthropic, "static needs url");
    await expectCreateRefused(vault.id, { auth: llmCredentialAuth(secret("no-url")) }, "auth.mcp_server_url");
  });

  it("rejects an invalid or over-long mcp_server_url", async () => {
    const vault = await createVault(anthropic, "static bad url");
    for (const url of ["not a url", "mcp.example.com/sse", `https://mcp.example.com/${"a".repeat(2048)}`]) {
      await expectCreateRefused(vault.id, { auth: { type: "static_bearer", token: secret("bad-url"), mcp_server_url: url } }, "auth.mcp_server_url");
    }
  });

  it("accepts a token of 8192 characters and rejects an empty or longer one", async () => {
    const vault = await createVault(anthropic, "token length");
    await expectCreateRefused(vault.id, { auth: { type: "static_bearer", token: "", mcp_server_url: uniqueMcpUrl() } }, "auth.token");
    await expectCreateRefused(
      vault.id,
      {
        auth: { type: "static_bearer", token: secretOfLength(8193), mcp_server_url: uniqueMcpUrl() },
      },
      "auth.token",
    );
    const longest = secretOfLength(8192);
    const accepted = await createStaticBearer(anthropic, vault.id, uniqueMcpUrl(), longest);
    expect(tokenHintOf(accepted)).toBe(hintFor(longest));
  });

  it("rejects a display_name over 255 characters", async () => {
    const vault = await createVault(anthropic, "credential name");
    await expectCreateRefused(
      vault.id,
      {
        display_name: "n".repeat(256),
        auth: { type: "static_bearer", token: secret("name"), mcp_server_url: uniqueMcpUrl() },
      },
      "display_name",
    );
  });
});

describe("token_hint", () => {
  it("shows … and the last 4 characters for secrets of 16 or more characters, and null below", async () => {
    const vault = await createVault(anthropic, "hint");
    const sixteen = secretOfLength(16);
    const fifteen = secretOfLength(15);
    const withSixteen = await createStaticBearer(anthropic, vault.id, uniqueMcpUrl(), sixteen);
    expect(tokenHintOf(withSixteen)).toBe(hintFor(sixteen));
    const withFifteen = await createStaticBearer(anthropic, vault.id, uniqueMcpUrl(), fifteen);
    expect(tokenHintOf(withFifteen)).toBeNull();
    const listed = await credentials.list(vault.id);
    const byId = new Map(listed.data.map((credential) => [credential.id, tokenHintOf(credential)]));
    expect(byId.get(withSixteen.id)).toBe(hintFor(sixteen));
    expect(byId.get(withFifteen.id)).toBeNull();
  });
});

describe("mcp_oauth", () => {
  it("returns the refresh settings without any secret", async () => {
    const vault = await createVault(anthropic, "oauth");
    const params = oauthParams();
    const credential = await credentials.create(vault.id, { auth: params });
    expectCredentialShape(credential, vault.id);
    expect(Object.keys(credential.auth).sort()).toEqual(["expires_at", "mcp_server_url", "refresh", "type"]);
    const auth = authOf(credential);
    expect(auth.type).toBe("mcp_oauth");
    expect(auth.mcp_server_url).toBe(params.mcp_server_url);
    expect(Date.parse(String(auth.expires_at))).toBe(Date.parse(String(params.expires_at)));
    expect(auth.refresh).toEqual({
      client_id: "client-e2e",
      token_endpoint: "https://auth.example.com/oauth/token",
      token_endpoint_auth: { type: "client_secret_post" },
      scope: "repo read:org",
      resource: "https://mcp.example.com",
    });
    expect(tokenHintOf(credential)).toBe(hintFor(params.access_token));
  });

  it("returns refresh null and expires_at null when they were not given", async () => {
    const vault = await createVault(anthropic, "oauth bare");
    const params = oauthParams({ expires_at: undefined, refresh: undefined });
    const credential = await credentials.create(vault.id, { auth: params });
    expect(credential.auth).toEqual({
      type: "mcp_oauth",
      mcp_server_url: params.mcp_server_url,
      expires_at: null,
      refresh: null,
    });
  });

  it("supports token_endpoint_auth none and client_secret_basic, with null scope and resource when omitted", async () => {
    const vault = await createVault(anthropic, "oauth auth kinds");
    const none = await credentials.create(vault.id, {
      auth: oauthParams({
        refresh: {
          client_id: "public-client",
          refresh_token: secret("refresh-none"),
          token_endpoint: "https://auth.example.com/token",
          token_endpoint_auth: { type: "none" },
        },
      }),
    });
    expect(authOf(none).refresh).toEqual({
      client_id: "public-client",
      token_endpoint: "https://auth.example.com/token",
      token_endpoint_auth: { type: "none" },
      scope: null,
      resource: null,
    });
    const basic = await credentials.create(vault.id, {
      auth: oauthParams({
        refresh: {
          client_id: "confidential-client",
          refresh_token: secret("refresh-basic"),
          token_endpoint: "https://auth.example.com/token",
          token_endpoint_auth: { type: "client_secret_basic", client_secret: secret("basic-secret") },
        },
      }),
    });
    const refresh = authOf(basic).refresh as Record<string, unknown>;
    expect(refresh.token_endpoint_auth).toEqual({ type: "client_secret_basic" });
    expectNoSecretFields(basic);
  });

  it("requires expires_at to be a future RFC 3339 time", async () => {
    const vault = await createVault(anthropic, "oauth expiry");
    for (const expiresAt of [new Date(Date.now() - 60_000).toISOString(), "tomorrow", "2030-13-45T00:00:00Z"]) {
      await expectCreateRefused(vault.id, { auth: oauthParams({ expires_at: expiresAt }) }, "auth.expires_at");
    }
  });

  it("rejects a token_endpoint that is not a URL", async () => {
    const vault = await createVault(anthropic, "oauth endpoint");
    const params = oauthParams();
    await expectCreateRefused(
      vault.id,
      {
        auth: { ...params, refresh: { ...params.refresh!, token_endpoint: "not a url" } },
      },
      "auth.refresh.token_endpoint",
    );
  });
});

describe("environment_variable", () => {
  it("returns secret_name, networking and injection_location, never the value", async () => {
    const vault = await createVault(anthropic, "env");
    const params = envParams();
    const credential = await credentials.create(vault.id, { auth: params });
    expectCredentialShape(credential, vault.id);
    expect(credential.auth).toEqual({
      type: "environment_variable",
      secret_name: "GITHUB_TOKEN",
      networking: { type: "limited", allowed_hosts: ["api.github.com", "*.githubusercontent.com", "192.0.2.1"] },
      injection_location: { header: true, body: false },
    });
    expect(tokenHintOf(credential)).toBe(hintFor(params.secret_value));
  });

  it("accepts unrestricted networking and returns both injection flags", async () => {
    const vault = await createVault(anthropic, "env unrestricted");
    const credential = await credentials.create(vault.id, {
      auth: envParams({ secret_name: "_private_1", networking: { type: "unrestricted" }, injection_location: { body: true } }),
    });
    const auth = authOf(credential);
    expect(auth.secret_name).toBe("_private_1");
    expect(auth.networking).toEqual({ type: "unrestricted" });
    const location = auth.injection_location as Record<string, unknown>;
    expect(location.body).toBe(true);
    expect(typeof location.header).toBe("boolean");
  });

  it("checks secret_name against ^[A-Za-z_][A-Za-z0-9_]*$", async () => {
    const vault = await createVault(anthropic, "env names");
    for (const secretName of ["1GITHUB", "GIT-HUB", "GIT HUB", "", "ÉTÉ", "A.B"]) {
      await expectCreateRefused(vault.id, { auth: envParams({ secret_name: secretName }) }, "auth.secret_name");
    }
  });

  it("requires a secret_value", async () => {
    const vault = await createVault(anthropic, "env value");
    await expectCreateRefused(vault.id, { auth: envParams({ secret_value: "" }) }, "auth.secret_value");
  });

  it("allows up to 16 bare hosts, IPv4 addresses or *. wildcards", async () => {
    const vault = await createVault(anthropic, "env hosts");
    const sixteen = Array.from({ length: 16 }, (_, index) => `h${index}.example.com`);
    const accepted = await credentials.create(vault.id, {
      auth: envParams({ secret_name: "SIXTEEN", networking: { type: "limited", allowed_hosts: sixteen } }),
    });
    expect(authOf(accepted).networking).toEqual({ type: "limited", allowed_hosts: sixteen });

    const badLists: string[][] = [
      [...sixteen, "h16.example.com"],
      ["https://api.github.com"],
      ["api.github.com:443"],
      ["api.github.com/path"],
      ["::1"],
      ["[2001:db8::1]"],
      [""],
    ];
    for (const allowedHosts of badLists) {
      await expectCreateRefused(
        vault.id,
        {
          auth: envParams({ secret_name: "BAD_HOSTS", networking: { type: "limited", allowed_hosts: allowedHosts } }),
        },
        "auth.networking.allowed_hosts",
      );
    }
  });

  it("requires networking and at least one injection location", async () => {
    const vault = await createVault(anthropic, "env location");
    await expectCreateRefused(vault.id, { auth: envParams({ injection_location: { header: false, body: false } }) }, "auth.injection_location");
    const { networking: _omitted, ...withoutNetworking } = envParams();
    await expectCreateRefused(vault.id, { auth: unchecked<BetaManagedAgentsEnvironmentVariableCreateParams>(withoutNetworking) }, "auth.networking");
  });
});

describe("LLM vault (role llm)", () => {
  it("holds the documented unbound static bearer: auth.mcp_server_url is null", async () => {
    const vault = await createVault(anthropic, "llm credential", llmVaultMetadata());
    const token = secret("llm");
    const credential = await credentials.create(vault.id, { auth: llmCredentialAuth(token) });
    expectCredentialShape(credential, vault.id);
    expect(credential.auth).toEqual({ type: "static_bearer", mcp_server_url: null });
    expect(tokenHintOf(credential)).toBe(hintFor(token));
  });

  it("refuses a second active credential with 409 until the first is archived", async () => {
    const vault = await createVault(anthropic, "llm second", llmVaultMetadata());
    const first = await credentials.create(vault.id, { auth: llmCredentialAuth(secret("llm-first")) });
    await expectApiError(credentials.create(vault.id, { auth: llmCredentialAuth(secret("llm-second")) }), 409, "conflict_error", [/rotat/i, /archiv/i]);
    await credentials.archive(first.id, { vault_id: vault.id });
    const replacement = await credentials.create(vault.id, { auth: llmCredentialAuth(secret("llm-replacement")) });
    expect(replacement.id).not.toBe(first.id);
    expect(await listAllCredentialIds(anthropic, vault.id)).toEqual([replacement.id]);
  });

  it("rotates the token in place", async () => {
    const vault = await createVault(anthropic, "llm rotate", llmVaultMetadata());
    const credential = await credentials.create(vault.id, { auth: llmCredentialAuth(secret("llm-old")) });
    const newToken = secret("llm-new");
    const rotated = await credentials.update(credential.id, {
      vault_id: vault.id,
      auth: { type: "static_bearer", token: newToken },
    });
    expect(rotated.id).toBe(credential.id);
    expect(rotated.auth).toEqual({ type: "static_bearer", mcp_server_url: null });
    expect(tokenHintOf(rotated)).toBe(hintFor(newToken));
    expect(tokenHintOf(rotated)).not.toBe(tokenHintOf(credential));
  });

  it("accepts only static_bearer: mcp_oauth and environment_variable are 400", async () => {
    const vault = await createVault(anthropic, "llm types", llmVaultMetadata());
    await expectApiError(credentials.create(vault.id, { auth: oauthParams() }), 400, "invalid_request_error", ["auth", /static[_ ]bearer/i]);
    await expectApiError(credentials.create(vault.id, { auth: envParams() }), 400, "invalid_request_error", ["auth", /static[_ ]bearer/i]);
    expect(await listAllCredentialIds(anthropic, vault.id, true)).toEqual([]);
  });

  it("rejects an mcp_server_url on the LLM credential", async () => {
    const vault = await createVault(anthropic, "llm url", llmVaultMetadata());
    await expectCreateRefused(
      vault.id,
      {
        auth: { type: "static_bearer", token: secret("llm-url"), mcp_server_url: "https://mcp.example.com/sse" },
      },
      ["auth.mcp_server_url", /remove mcp_server_url/i],
    );
    expect(await listAllCredentialIds(anthropic, vault.id, true)).toEqual([]);
  });
});

describe("role credential vault", () => {
  it("makes mcp_server_url optional for static_bearer", async () => {
    const vault = await createVault(anthropic, "credential role", credentialVaultMetadata());
    const unbound = await credentials.create(vault.id, { auth: llmCredentialAuth(secret("header-unbound")) });
    expect(unbound.auth).toEqual({ type: "static_bearer", mcp_server_url: null });
    const url = uniqueMcpUrl();
    const bound = await createStaticBearer(anthropic, vault.id, url);
    expect(bound.auth).toEqual({ type: "static_bearer", mcp_server_url: url });
  });
});

describe("uniqueness among active credentials", () => {
  it("allows one active credential per canonical mcp_server_url, freed by archive", async () => {
    const vault = await createVault(anthropic, "unique url");
    const original = await createStaticBearer(anthropic, vault.id, "https://example.com/mcp");

    for (const clash of ["https://Example.com/mcp", "https://EXAMPLE.COM:443/mcp", "https://example.com/mcp"]) {
      await expectApiError(createStaticBearer(anthropic, vault.id, clash), 409, "conflict_error", "mcp_server_url");
    }
    await expectApiError(
      credentials.create(vault.id, { auth: oauthParams({ mcp_server_url: "https://example.com/mcp" }) }),
      409,
      "conflict_error",
      "mcp_server_url",
    );

    const otherPath = await createStaticBearer(anthropic, vault.id, "https://example.com/other");
    expect(otherPath.id).not.toBe(original.id);
    const otherVault = await createVault(anthropic, "unique url elsewhere");
    await createStaticBearer(anthropic, otherVault.id, "https://example.com/mcp");

    await credentials.archive(original.id, { vault_id: vault.id });
    const replacement = await createStaticBearer(anthropic, vault.id, "https://Example.com/mcp");
    expect(replacement.archived_at).toBeNull();
  });

  it("allows one active credential per secret_name, freed by archive", async () => {
    const vault = await createVault(anthropic, "unique secret name");
    const original = await credentials.create(vault.id, { auth: envParams({ secret_name: "DEPLOY_KEY" }) });
    await expectApiError(credentials.create(vault.id, { auth: envParams({ secret_name: "DEPLOY_KEY" }) }), 409, "conflict_error", "secret_name");
    await credentials.create(vault.id, { auth: envParams({ secret_name: "DEPLOY_KEY_2" }) });
    await credentials.archive(original.id, { vault_id: vault.id });
    const replacement = await credentials.create(vault.id, { auth: envParams({ secret_name: "DEPLOY_KEY" }) });
    expect(authOf(replacement).secret_name).toBe("DEPLOY_KEY");
  });
});

describe("immutability", () => {
  // Each refused update names the field it tried to change, and leaves the credential as it was.
  it.each<{ what: string; create: (vaultId: string) => Promise<Credential>; refused: Array<[auth: unknown, field: string]> }>([
    {
      what: "a static_bearer's type or mcp_server_url",
      create: (vaultId) => createStaticBearer(anthropic, vaultId),
      refused: [
        [{ type: "mcp_oauth", access_token: secret("type-change") }, "auth.type"],
        [{ type: "static_bearer", mcp_server_url: uniqueMcpUrl("moved") }, "mcp_server_url"],
      ],
    },
    {
      what: "an environment variable's secret_name",
      create: (vaultId) => credentials.create(vaultId, { auth: envParams() }),
      refused: [[{ type: "environment_variable", secret_name: "RENAMED" }, "secret_name"]],
    },
    {
      what: "an oauth credential's client_id or token_endpoint",
      create: (vaultId) => credentials.create(vaultId, { auth: oauthParams() }),
      refused: [
        [{ type: "mcp_oauth", refresh: { client_id: "another-client" } }, "client_id"],
        [{ type: "mcp_oauth", refresh: { token_endpoint: "https://elsewhere.example.com/token" } }, "token_endpoint"],
        [{ type: "mcp_oauth", mcp_server_url: uniqueMcpUrl("moved") }, "mcp_server_url"],
      ],
    },
  ])("refuses to change $what", async ({ what, create, refused }) => {
    const vault = await createVault(anthropic, `immutable ${what}`);
    const credential = await create(vault.id);
    for (const [auth, field] of refused) {
      await expectApiError(credentials.update(credential.id, { vault_id: vault.id, auth: unchecked(auth) }), 400, "invalid_request_error", field);
    }
    expect(await credentials.retrieve(credential.id, { vault_id: vault.id })).toEqual(credential);
  });
});

describe("update", () => {
  it("rotates a static bearer token in place and patches display_name and metadata", async () => {
    const vault = await createVault(anthropic, "rotate static");
    const credential = await credentials.create(vault.id, {
      display_name: "before",
      metadata: { keep: "1", drop: "2" },
      auth: { type: "static_bearer", token: secret("old"), mcp_server_url: uniqueMcpUrl() },
    });
    const newToken = secret("new");
    const rotated = await credentials.update(credential.id, {
      vault_id: vault.id,
      display_name: "after",
      metadata: { drop: null, added: "3" },
      auth: { type: "static_bearer", token: newToken },
    });
    expectCredentialShape(rotated, vault.id);
    expect(rotated.id).toBe(credential.id);
    expect(rotated.auth).toEqual(credential.auth);
    expect(rotated.display_name).toBe("after");
    expect(rotated.metadata).toEqual({ keep: "1", added: "3" });
    expect(rotated.created_at).toBe(credential.created_at);
    expect(Date.parse(rotated.updated_at)).toBeGreaterThanOrEqual(Date.parse(credential.updated_at));
    expect(tokenHintOf(rotated)).toBe(hintFor(newToken));
    expect(await credentials.retrieve(credential.id, { vault_id: vault.id })).toEqual(rotated);
  });

  it("keeps the token when only metadata changes", async () => {
    const vault = await createVault(anthropic, "metadata only");
    const credential = await createStaticBearer(anthropic, vault.id);
    const updated = await credentials.update(credential.id, { vault_id: vault.id, metadata: { a: "b" } });
    expect(tokenHintOf(updated)).toBe(tokenHintOf(credential));
    expect(updated.auth).toEqual(credential.auth);
  });

  it("rotates oauth tokens and client secret without changing the refresh settings", async () => {
    const vault = await createVault(anthropic, "rotate oauth");
    const credential = await credentials.create(vault.id, { auth: oauthParams() });
    const newAccess = secret("access-new");
    const newExpiry = new Date(Math.floor(Date.now() / 1000) * 1000 + 2 * 60 * 60 * 1000).toISOString();
    const rotated = await credentials.update(credential.id, {
      vault_id: vault.id,
      auth: {
        type: "mcp_oauth",
        access_token: newAccess,
        expires_at: newExpiry,
        refresh: {
          refresh_token: secret("refresh-new"),
          token_endpoint_auth: { type: "client_secret_post", client_secret: secret("client-new") },
        },
      },
    });
    expect(rotated.id).toBe(credential.id);
    expect(tokenHintOf(rotated)).toBe(hintFor(newAccess));
    const auth = authOf(rotated);
    expect(Date.parse(String(auth.expires_at))).toBe(Date.parse(newExpiry));
    expect(auth.refresh).toEqual(authOf(credential).refresh);
    expectNoSecretFields(rotated);
  });

  it("refuses an expires_at in the past on update", async () => {
    const vault = await createVault(anthropic, "oauth past update");
    const credential = await credentials.create(vault.id, { auth: oauthParams() });
    await expectApiError(
      credentials.update(credential.id, {
        vault_id: vault.id,
        auth: { type: "mcp_oauth", access_token: secret("late"), expires_at: new Date(Date.now() - 60_000).toISOString() },
      }),
      400,
      "invalid_request_error",
      "auth.expires_at",
    );
    expect(await credentials.retrieve(credential.id, { vault_id: vault.id })).toEqual(credential);
  });

  it("rotates an environment variable and updates networking and injection_location", async () => {
    const vault = await createVault(anthropic, "rotate env");
    const credential = await credentials.create(vault.id, { auth: envParams() });
    const newValue = secret("env-new");
    const rotated = await credentials.update(credential.id, {
      vault_id: vault.id,
      auth: {
        type: "environment_variable",
        secret_value: newValue,
        networking: { type: "unrestricted" },
        injection_location: { body: true },
      },
    });
    expect(rotated.id).toBe(credential.id);
    expect(tokenHintOf(rotated)).toBe(hintFor(newValue));
    expect(rotated.auth).toEqual({
      type: "environment_variable",
      secret_name: "GITHUB_TOKEN",
      networking: { type: "unrestricted" },
      injection_location: { header: true, body: true },
    });

    await expectApiError(
      credentials.update(credential.id, {
        vault_id: vault.id,
        auth: { type: "environment_variable", injection_location: { header: false, body: false } },
      }),
      400,
      "invalid_request_error",
      "auth.injection_location",
    );
    expect((await credentials.retrieve(credential.id, { vault_id: vault.id })).auth).toEqual(rotated.auth);
  });
});

describe("archive and delete", () => {
  it("archives: sets archived_at, keeps the record, and hides it from the default list", async () => {
    const vault = await createVault(anthropic, "archive credential");
    const credential = await createStaticBearer(anthropic, vault.id);
    const archived = await credentials.archive(credential.id, { vault_id: vault.id });
    expectCredentialShape(archived, vault.id);
    expect(archived.id).toBe(credential.id);
    expectTimestamp(archived.archived_at, "archived_at");
    expect(archived.auth).toEqual(credential.auth);

    expect(await credentials.retrieve(credential.id, { vault_id: vault.id })).toEqual(archived);
    expect(await listAllCredentialIds(anthropic, vault.id)).toEqual([]);
    expect(await listAllCredentialIds(anthropic, vault.id, true)).toEqual([credential.id]);
  });

  it("deletes: returns {id, type: vault_credential_deleted}, then 404", async () => {
    const vault = await createVault(anthropic, "delete credential");
    const credential = await createStaticBearer(anthropic, vault.id);
    const archivedFirst = await createStaticBearer(anthropic, vault.id);
    await credentials.archive(archivedFirst.id, { vault_id: vault.id });

    for (const target of [credential, archivedFirst]) {
      const deleted = await credentials.delete(target.id, { vault_id: vault.id });
      expect(deleted).toEqual({ id: target.id, type: "vault_credential_deleted" });
      await expectApiError(credentials.retrieve(target.id, { vault_id: vault.id }), 404, "not_found_error");
      await expectApiError(credentials.delete(target.id, { vault_id: vault.id }), 404, "not_found_error");
    }
    expect(await listAllCredentialIds(anthropic, vault.id, true)).toEqual([]);
  });

  it("refuses to create a credential in an archived vault with 409", async () => {
    const vault = await createVault(anthropic, "archived vault credential");
    await anthropic.beta.vaults.archive(vault.id);
    await expectApiError(createStaticBearer(anthropic, vault.id), 409, "conflict_error");
    await expectApiError(credentials.create(vault.id, { auth: envParams() }), 409, "conflict_error");
  });
});

describe("limits and lists", () => {
  it("keeps at most 20 active credentials per vault; archived ones do not count", async () => {
    const vault = await createVault(anthropic, "twenty");
    const created: Credential[] = [];
    for (let index = 0; index < 19; index += 1) created.push(await createStaticBearer(anthropic, vault.id));
    created.push(await credentials.create(vault.id, { auth: envParams({ secret_name: "TWENTIETH" }) }));

    await expectApiError(createStaticBearer(anthropic, vault.id), 409, "conflict_error");
    await expectApiError(credentials.create(vault.id, { auth: envParams({ secret_name: "TWENTY_FIRST" }) }), 409, "conflict_error");
    expect(await listAllCredentialIds(anthropic, vault.id)).toHaveLength(20);

    const [oldest] = created;
    await credentials.archive(oldest!.id, { vault_id: vault.id });
    const replacement = await createStaticBearer(anthropic, vault.id);
    await expectApiError(createStaticBearer(anthropic, vault.id), 409, "conflict_error");

    // 21 records, 20 of them active: the default page size is 20.
    const firstPage = await credentials.list(vault.id, { include_archived: true });
    expect(firstPage.data).toHaveLength(20);
    expect(firstPage.data[0]?.id).toBe(replacement.id);
    expect(typeof firstPage.next_page).toBe("string");
    const secondPage = await credentials.list(vault.id, { include_archived: true, page: firstPage.next_page! });
    expect(secondPage.data.map((credential) => credential.id)).toEqual([oldest!.id]);
    expect(secondPage.next_page).toBeNull();
  });

  it("pages newest first with limit and next_page, and for await walks them all", async () => {
    const vault = await createVault(anthropic, "paging");
    const created: Credential[] = [];
    for (let index = 0; index < 7; index += 1) created.push(await createStaticBearer(anthropic, vault.id));
    const newestFirst = created.map((credential) => credential.id).reverse();

    const pages: string[][] = [];
    let page: string | undefined;
    for (let guard = 0; guard < 10; guard += 1) {
      const result = await credentials.list(vault.id, { limit: 3, ...(page ? { page } : {}) });
      pages.push(result.data.map((credential) => credential.id));
      if (!result.next_page) break;
      page = result.next_page;
    }
    expect(pages.map((ids) => ids.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(newestFirst);

    const walked: string[] = [];
    for await (const credential of credentials.list(vault.id, { limit: 2 })) walked.push(credential.id);
    expect(walked).toEqual(newestFirst);

    const everything = await credentials.list(vault.id);
    expect(everything.data.map((credential) => credential.id)).toEqual(newestFirst);
    expect(everything.next_page).toBeNull();
    for (const credential of everything.data) expectCredentialShape(credential, vault.id);
  });
});

describe("paths", () => {
  it("answers 404 for a credential addressed through another vault, and leaves it intact", async () => {
    const home = await createVault(anthropic, "home");
    const stranger = await createVault(anthropic, "stranger");
    const credential = await createStaticBearer(anthropic, home.id);
    const params = { vault_id: stranger.id };

    await expectApiError(credentials.retrieve(credential.id, params), 404, "not_found_error");
    await expectApiError(credentials.update(credential.id, { ...params, auth: { type: "static_bearer", token: secret("hijack") } }), 404, "not_found_error");
    await expectApiError(credentials.archive(credential.id, params), 404, "not_found_error");
    await expectApiError(credentials.delete(credential.id, params), 404, "not_found_error");

    expect(await credentials.retrieve(credential.id, { vault_id: home.id })).toEqual(credential);
  });

  it("answers 404 for unknown vaults and credentials", async () => {
    const vault = await createVault(anthropic, "unknown ids");
    await expectApiError(credentials.retrieve("vcrd_doesnotexist", { vault_id: vault.id }), 404, "not_found_error");
    await expectApiError(credentials.list("vlt_doesnotexist"), 404, "not_found_error");
    await expectApiError(createStaticBearer(anthropic, "vlt_doesnotexist"), 404, "not_found_error");
  });
});
