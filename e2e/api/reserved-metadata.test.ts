// The reserved `sandbox0.managed_agents.*` metadata table (SPEC §3). Every 400 must name the field,
// e.g. `metadata.sandbox0.managed_agents.engine`.
import { describe, expect, it } from "vitest";

import {
  RESERVED,
  SECRET_MARKER,
  client,
  createStaticBearer,
  createVault,
  credentialVaultMetadata,
  expectApiError,
  guardResponses,
  llmVaultMetadata,
  secret,
  uniqueName,
  uniqueSuffix,
} from "./support";

guardResponses();

const anthropic = client();

/** The path a message must name for a reserved key. */
function field(key: string): string {
  return `metadata.${RESERVED}${key}`;
}

function reserved(entries: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(entries).map(([key, value]) => [`${RESERVED}${key}`, value]));
}

async function expectCreateRejected(metadata: Record<string, string>, key: string, ...extra: RegExp[]): Promise<string> {
  const { message } = await expectApiError(
    anthropic.beta.vaults.create({ display_name: uniqueName("reserved rejected"), metadata }),
    400,
    "invalid_request_error",
    [field(key), ...extra],
  );
  return message;
}

async function expectUpdateRejected(vaultId: string, metadata: Record<string, string | null>, key: string, ...extra: RegExp[]): Promise<void> {
  await expectApiError(anthropic.beta.vaults.update(vaultId, { metadata }), 400, "invalid_request_error", [field(key), ...extra]);
}

const OPENAI_COMPATIBLE = /openai-compatible/i;
const SEPARATE_OR_NOT_ENABLED = /separate|not enabled/i;
const ANTHROPIC_COMPATIBLE = /anthropic-compatible/i;

describe("LLM vault (role llm)", () => {
  it("accepts the documented LLM vault and returns its metadata unchanged", async () => {
    const metadata = llmVaultMetadata();
    const vault = await anthropic.beta.vaults.create({ display_name: uniqueName("llm"), metadata });
    expect(vault.metadata).toEqual({
      "sandbox0.managed_agents.role": "llm",
      "sandbox0.managed_agents.engine": "claude",
    });
    expect((await anthropic.beta.vaults.retrieve(vault.id)).metadata).toEqual(metadata);
  });

  it("keeps ordinary metadata beside the reserved keys", async () => {
    const metadata = llmVaultMetadata({ team: "research", "sandbox0.other": "not reserved" });
    const vault = await anthropic.beta.vaults.create({ display_name: uniqueName("llm plus"), metadata });
    expect(vault.metadata).toEqual(metadata);
  });

  it("requires the role as soon as any reserved key is present", async () => {
    await expectCreateRejected(reserved({ engine: "claude" }), "role");
    await expectCreateRejected(reserved({ llm_base_url: "https://api.anthropic.com" }), "role");
    await expectCreateRejected(reserved({ kind: "http_headers", version: "1", target_domains: "api.example.com", headers_json: "{}" }), "role");
  });

  it("accepts only llm or credential as the role", async () => {
    for (const role of ["admin", "", "session"]) {
      await expectCreateRejected(reserved({ role, engine: "claude" }), "role");
    }
  });

  it("requires the engine for role llm", async () => {
    await expectCreateRejected(reserved({ role: "llm" }), "engine");
  });

  it("refuses any engine but claude and says OpenAI-compatible support is separate and not enabled", async () => {
    for (const engine of ["codex", "openai", "gpt-4o"]) {
      await expectCreateRejected(reserved({ role: "llm", engine }), "engine", OPENAI_COMPATIBLE, SEPARATE_OR_NOT_ENABLED);
    }
  });

  it("accepts https base URLs, and plain http only for hosts in CONSOLE_PRIVATE_ENDPOINTS (the suite lists 127.0.0.1)", async () => {
    for (const url of [
      "https://api.anthropic.com",
      "https://llm-gateway.example.com/anthropic",
      "https://llm-gateway.example.com:8443/v1",
      "http://127.0.0.1:9000/proxy",
    ]) {
      const metadata = llmVaultMetadata({ [`${RESERVED}llm_base_url`]: url });
      const vault = await anthropic.beta.vaults.create({ display_name: uniqueName("base url"), metadata });
      expect(vault.metadata[`${RESERVED}llm_base_url`], url).toBe(url);
    }
  });

  it("rejects base URLs that are not absolute https (http outside the allow list, other schemes, relative)", async () => {
    for (const url of [
      "http://llm-gateway.example.com",
      "http://10.0.0.5:8080",
      "http://localhost:8080",
      "ftp://llm-gateway.example.com",
      "llm-gateway.example.com",
      "//llm-gateway.example.com/v1",
      "/v1/messages",
      "not a url",
      `https://llm-gateway.example.com/${"a".repeat(2100)}`,
    ]) {
      await expectCreateRejected(llmVaultMetadata({ [`${RESERVED}llm_base_url`]: url }), "llm_base_url");
    }
  });

  it("rejects credentials or a query in the base URL, without echoing the credentials", async () => {
    const password = `${SECRET_MARKER}-${uniqueSuffix()}`;
    for (const url of [
      `https://user:${password}@llm-gateway.example.com`,
      `https://${password}@llm-gateway.example.com/v1`,
      "https://llm-gateway.example.com/v1?key=abc",
    ]) {
      await expectCreateRejected(llmVaultMetadata({ [`${RESERVED}llm_base_url`]: url }), "llm_base_url");
    }
  });

  it("rejects OpenAI-compatible endpoint shapes and asks for an Anthropic-compatible endpoint", async () => {
    for (const url of [
      "https://api.openai.com",
      "https://api.openai.com/v1",
      "https://API.OpenAI.com/v1/",
      "https://llm-gateway.example.com/v1/chat/completions",
      "https://llm-gateway.example.com/openai/v1/responses",
    ]) {
      await expectCreateRejected(llmVaultMetadata({ [`${RESERVED}llm_base_url`]: url }), "llm_base_url", ANTHROPIC_COMPATIBLE);
    }
  });

  it("allows only role, engine and llm_base_url among reserved keys", async () => {
    await expectCreateRejected(llmVaultMetadata({ [`${RESERVED}target_domains`]: "api.example.com" }), "target_domains");
    await expectCreateRejected(llmVaultMetadata({ [`${RESERVED}headers_json`]: "{}" }), "headers_json");
  });
});

describe("HTTP header credential vault (role credential)", () => {
  it("accepts the required keys and the optional enums", async () => {
    const minimal = credentialVaultMetadata();
    const vault = await anthropic.beta.vaults.create({ display_name: uniqueName("credential role"), metadata: minimal });
    expect(vault.metadata).toEqual(minimal);

    for (const optional of [
      { protocol: "https", tls_mode: "terminate-reoriginate", failure_policy: "fail-closed" },
      { protocol: "http", tls_mode: "passthrough", failure_policy: "fail-open" },
    ]) {
      const metadata = credentialVaultMetadata(reserved(optional));
      const withOptional = await anthropic.beta.vaults.create({ display_name: uniqueName("credential opts"), metadata });
      expect(withOptional.metadata).toEqual(metadata);
    }
  });

  it("requires kind, version, target_domains and headers_json", async () => {
    for (const key of ["kind", "version", "target_domains", "headers_json"]) {
      const metadata = credentialVaultMetadata();
      delete metadata[`${RESERVED}${key}`];
      await expectCreateRejected(metadata, key);
    }
  });

  it("checks each key's value", async () => {
    const cases: Array<[string, string]> = [
      ["kind", "grpc_metadata"],
      ["version", "2"],
      ["version", "one"],
      ["target_domains", ""],
      ["target_domains", "https://api.example.com"],
      ["target_domains", "api.example.com/path"],
      ["headers_json", "not json"],
      ["headers_json", "[]"],
      ["headers_json", '"Authorization"'],
      ["headers_json", "null"],
      ["protocol", "ftp"],
      ["tls_mode", "mitm"],
      ["failure_policy", "maybe"],
    ];
    for (const [key, value] of cases) {
      await expectCreateRejected(credentialVaultMetadata({ [`${RESERVED}${key}`]: value }), key);
    }
  });
});

describe("unknown reserved keys", () => {
  it("says the reserved key is not supported and names it", async () => {
    await expectCreateRejected(llmVaultMetadata({ [`${RESERVED}model`]: "claude-opus" }), "model", /reserved key not supported/i);
    await expectCreateRejected(credentialVaultMetadata({ [`${RESERVED}allow_everything`]: "true" }), "allow_everything", /reserved key not supported/i);
  });
});

describe("updates to reserved metadata", () => {
  it("never lets the role change, appear or disappear after create", async () => {
    const llm = await createVault(anthropic, "llm role fixed", llmVaultMetadata());
    await expectUpdateRejected(llm.id, { [`${RESERVED}role`]: "credential" }, "role");
    await expectUpdateRejected(llm.id, { [`${RESERVED}role`]: null }, "role");
    expect((await anthropic.beta.vaults.retrieve(llm.id)).metadata).toEqual(llm.metadata);

    // Re-sending the same role is not a change (a form may send all metadata back).
    const same = await anthropic.beta.vaults.update(llm.id, { metadata: { [`${RESERVED}role`]: "llm" } });
    expect(same.metadata).toEqual(llm.metadata);

    const plain = await createVault(anthropic, "plain gets no role");
    await expectUpdateRejected(plain.id, llmVaultMetadata(), "role");
    expect((await anthropic.beta.vaults.retrieve(plain.id)).metadata).toEqual({});

    const credentialRole = await createVault(anthropic, "credential role fixed", credentialVaultMetadata());
    await expectUpdateRejected(credentialRole.id, { [`${RESERVED}role`]: "llm" }, "role");
  });

  it("applies the engine rules to updates", async () => {
    const vault = await createVault(anthropic, "llm engine update", llmVaultMetadata());
    await expectUpdateRejected(vault.id, { [`${RESERVED}engine`]: "codex" }, "engine", OPENAI_COMPATIBLE);
    await expectUpdateRejected(vault.id, { [`${RESERVED}engine`]: null }, "engine");
    expect((await anthropic.beta.vaults.retrieve(vault.id)).metadata).toEqual(vault.metadata);
  });

  it("applies the base URL rules to updates and lets the base URL be set and removed", async () => {
    const vault = await createVault(anthropic, "llm base url update", llmVaultMetadata());
    const key = `${RESERVED}llm_base_url`;
    await expectUpdateRejected(vault.id, { [key]: "https://api.openai.com/v1" }, "llm_base_url", ANTHROPIC_COMPATIBLE);
    await expectUpdateRejected(vault.id, { [key]: "http://llm-gateway.example.com" }, "llm_base_url");

    const set = await anthropic.beta.vaults.update(vault.id, { metadata: { [key]: "https://llm-gateway.example.com" } });
    expect(set.metadata[key]).toBe("https://llm-gateway.example.com");
    const removed = await anthropic.beta.vaults.update(vault.id, { metadata: { [key]: null } });
    expect(removed.metadata).toEqual(llmVaultMetadata());
  });

  it("checks the merged metadata of a credential vault", async () => {
    const vault = await createVault(anthropic, "credential update", credentialVaultMetadata());
    await expectUpdateRejected(vault.id, { [`${RESERVED}kind`]: null }, "kind");
    await expectUpdateRejected(vault.id, { [`${RESERVED}target_domains`]: "https://x.example.com/" }, "target_domains");
    await expectUpdateRejected(vault.id, { [`${RESERVED}surprise`]: "1" }, "surprise", /reserved key not supported/i);
    expect((await anthropic.beta.vaults.retrieve(vault.id)).metadata).toEqual(vault.metadata);

    const changed = await anthropic.beta.vaults.update(vault.id, {
      metadata: { [`${RESERVED}target_domains`]: "api.example.net", [`${RESERVED}failure_policy`]: "fail-open" },
    });
    expect(changed.metadata[`${RESERVED}target_domains`]).toBe("api.example.net");
    expect(changed.metadata[`${RESERVED}failure_policy`]).toBe("fail-open");
  });
});

describe("reserved keys outside vaults", () => {
  it("rejects reserved keys on credential metadata at create, naming the key and the resource", async () => {
    const vault = await createVault(anthropic, "credential metadata");
    for (const key of [`${RESERVED}role`, `${RESERVED}engine`, `${RESERVED}anything`]) {
      await expectApiError(
        anthropic.beta.vaults.credentials.create(vault.id, {
          auth: { type: "static_bearer", token: secret("reserved"), mcp_server_url: "https://mcp.example.com/a" },
          metadata: { [key]: "llm" },
        }),
        400,
        "invalid_request_error",
        [key, /credential/i],
      );
    }
    const none = await anthropic.beta.vaults.credentials.list(vault.id, { include_archived: true });
    expect(none.data).toEqual([]);
  });

  it("rejects reserved keys in a credential metadata patch", async () => {
    const vault = await createVault(anthropic, "credential metadata patch");
    const credential = await createStaticBearer(anthropic, vault.id);
    await expectApiError(
      anthropic.beta.vaults.credentials.update(credential.id, {
        vault_id: vault.id,
        metadata: { [`${RESERVED}role`]: "llm" },
      }),
      400,
      "invalid_request_error",
      [`${RESERVED}role`, /credential/i],
    );
    const unchanged = await anthropic.beta.vaults.credentials.retrieve(credential.id, { vault_id: vault.id });
    expect(unchanged.metadata).toEqual({});
  });

  it("accepts look-alike keys outside the reserved prefix on credentials", async () => {
    const vault = await createVault(anthropic, "credential lookalike");
    const credential = await anthropic.beta.vaults.credentials.create(vault.id, {
      auth: { type: "static_bearer", token: secret("reserved"), mcp_server_url: "https://mcp.example.com/b" },
      metadata: { "sandbox0.team": "infra", managed_agents: "no" },
    });
    expect(credential.metadata).toEqual({ "sandbox0.team": "infra", managed_agents: "no" });
  });
});
