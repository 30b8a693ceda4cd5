// diagnoseVaults, the pure core of GET /v1/sessions/{id}/diagnostics (SPEC §5): one check per common
// reason a session would get no model output, each with a fix. Built from hand-made rows so that
// states the API refuses to produce (an OpenAI-shaped base URL, an MCP-bound or OAuth credential
// in an LLM vault, a wrong engine) are covered too.
import { describe, expect, it } from "vitest";

import { parsePrivateEndpoints, type PrivateEndpoints } from "@/lib/boundary/endpoint-policy";
import { DIAGNOSTIC_CODES, type DiagnosticCheck, type DiagnosticCode } from "@/lib/serializers/diagnostics";
import { diagnoseVaults } from "@/lib/server/session-diagnostics";

type AttachedVault = Parameters<typeof diagnoseVaults>[0][number];
type AttachedCredential = AttachedVault["credentials"][number];

const RESERVED = "sandbox0.managed_agents.";

const ATTACH_FIX = "Attach the LLM vault in vault_ids when creating or updating the session";

const CREATED = new Date("2026-01-01T00:00:00.000Z");
let sequence = 0n;

function nextSeq(): bigint {
  sequence += 1n;
  return sequence;
}

function credential(vaultId: string, overrides: Partial<AttachedCredential> = {}): AttachedCredential {
  const seq = nextSeq();
  return {
    id: `vcrd_unit${seq}`,
    seq,
    vaultId,
    displayName: null,
    metadata: {},
    authType: "static_bearer",
    authPublic: { type: "static_bearer", mcp_server_url: null },
    mcpServerUrl: null,
    secretName: null,
    activeMcpServerUrlKey: null,
    activeSecretName: null,
    activeLlmSlot: true,
    secretCiphertext: null,
    refreshTokenCiphertext: null,
    clientSecretCiphertext: null,
    secretKeyId: null,
    tokenHint: "…wxyz",
    endpointOrigin: "https://api.anthropic.com",
    createdAt: CREATED,
    updatedAt: CREATED,
    archivedAt: null,
    active: !overrides.archivedAt,
    ...overrides,
  };
}

function vault(
  metadata: Record<string, string>,
  kind: AttachedVault["kind"],
  overrides: Partial<Omit<AttachedVault, "credentials">> = {},
  credentials: (vaultId: string) => AttachedCredential[] = () => [],
): AttachedVault {
  const seq = nextSeq();
  const id = overrides.id ?? `vlt_unit${seq}`;
  return {
    id,
    seq,
    displayName: `vault ${seq}`,
    metadata,
    kind,
    createdAt: CREATED,
    updatedAt: CREATED,
    archivedAt: null,
    active: !overrides.archivedAt,
    ...overrides,
    credentials: credentials(id),
  };
}

/** The origin a token stored now in a vault with this metadata is bound to (as credentials.ts records it). */
function boundOriginOf(metadata: Record<string, string>): string {
  return new URL(metadata[`${RESERVED}llm_base_url`] ?? "https://api.anthropic.com").origin;
}

/** A ready LLM vault: role llm, engine claude, one active unbound static bearer stored for its endpoint. */
function llmVault(
  options: {
    metadata?: Record<string, string>;
    archivedAt?: Date | null;
    credentials?: (vaultId: string) => AttachedCredential[];
  } = {},
): AttachedVault {
  const metadata = options.metadata ?? { [`${RESERVED}role`]: "llm", [`${RESERVED}engine`]: "claude" };
  return vault(
    metadata,
    "llm",
    { archivedAt: options.archivedAt ?? null },
    options.credentials ?? ((vaultId) => [credential(vaultId, { endpointOrigin: boundOriginOf(metadata) })]),
  );
}

function allowList(value: string): PrivateEndpoints {
  const parsed = parsePrivateEndpoints(value);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.endpoints;
}

/** An MCP vault (no reserved role) with a bound bearer and an OAuth credential. */
function mcpVault(): AttachedVault {
  return vault({ team: "tools" }, null, {}, (vaultId) => [
    credential(vaultId, {
      mcpServerUrl: "https://mcp.example.com/sse",
      activeMcpServerUrlKey: "https://mcp.example.com/sse",
      activeLlmSlot: null,
      authPublic: { type: "static_bearer", mcp_server_url: "https://mcp.example.com/sse" },
    }),
    credential(vaultId, {
      authType: "mcp_oauth",
      mcpServerUrl: "https://oauth.example.com/mcp",
      activeMcpServerUrlKey: "https://oauth.example.com/mcp",
      activeLlmSlot: null,
    }),
  ]);
}

/** An HTTP header credential vault (role credential) holding an environment variable secret. */
function credentialRoleVault(): AttachedVault {
  return vault(
    {
      [`${RESERVED}role`]: "credential",
      [`${RESERVED}kind`]: "http_headers",
      [`${RESERVED}version`]: "1",
      [`${RESERVED}target_domains`]: "api.example.com",
      [`${RESERVED}headers_json`]: '{"X-Api-Key":"{{secret}}"}',
    },
    "credential",
    {},
    (vaultId) => [credential(vaultId, { authType: "environment_variable", secretName: "API_TOKEN", activeLlmSlot: null })],
  );
}

function byCode(checks: DiagnosticCheck[]): Map<DiagnosticCode, DiagnosticCheck> {
  return new Map(checks.map((entry) => [entry.code, entry]));
}

/** The failures a person acts on: skipped checks wait on an earlier failure, so they are not counted. */
function failing(checks: DiagnosticCheck[]): DiagnosticCode[] {
  return checks.filter((entry) => !entry.ok && !entry.skipped).map((entry) => entry.code);
}

function skippedCodes(checks: DiagnosticCheck[]): DiagnosticCode[] {
  return checks.filter((entry) => entry.skipped).map((entry) => entry.code);
}

function checkFor(checks: DiagnosticCheck[], code: DiagnosticCode): DiagnosticCheck {
  const found = byCode(checks).get(code);
  expect(found, `a ${code} check`).toBeDefined();
  return found as DiagnosticCheck;
}

/** The shape every result must have, whatever the input: every code, in order, fix iff failing. */
function expectWellFormed(checks: DiagnosticCheck[]): void {
  expect(checks.map((entry) => entry.code)).toEqual(DIAGNOSTIC_CODES);
  for (const entry of checks) {
    expect(Object.keys(entry).sort(), entry.code).toEqual(["code", "fix", "message", "ok", "skipped"]);
    expect(typeof entry.ok, entry.code).toBe("boolean");
    expect(typeof entry.message, entry.code).toBe("string");
    expect(entry.message.length, `${entry.code} has a message`).toBeGreaterThan(0);
    if (entry.ok) {
      expect(entry.fix, `${entry.code} passes, so it has no fix`).toBeNull();
    } else {
      expect(typeof entry.fix, `${entry.code} fails, so it says how to fix it`).toBe("string");
      expect((entry.fix ?? "").length, `${entry.code} fix is not empty`).toBeGreaterThan(0);
    }
  }
}

/** Exactly `codes` fail, and every other check passes. */
function expectOnlyFailing(checks: DiagnosticCheck[], codes: DiagnosticCode[]): void {
  expectWellFormed(checks);
  expect(failing(checks)).toEqual(codes);
}

describe("diagnoseVaults: a ready session", () => {
  it("passes every check, in the spec's order, with no fixes, for one good LLM vault", () => {
    const checks = diagnoseVaults([llmVault()]);
    expectOnlyFailing(checks, []);
    expect(checks.every((entry) => entry.fix === null)).toBe(true);
  });

  it("ignores the credentials of other attached vaults (MCP and HTTP header credential vaults)", () => {
    expectOnlyFailing(diagnoseVaults([mcpVault(), llmVault(), credentialRoleVault()]), []);
  });

  it("ignores archived credentials beside the one active static bearer", () => {
    const vaultWithHistory = llmVault({
      credentials: (vaultId) => [
        credential(vaultId, { archivedAt: CREATED, activeLlmSlot: null, tokenHint: null }),
        credential(vaultId, {
          authType: "mcp_oauth",
          mcpServerUrl: "https://old.example.com/mcp",
          archivedAt: CREATED,
          activeLlmSlot: null,
        }),
        credential(vaultId),
      ],
    });
    expectOnlyFailing(diagnoseVaults([vaultWithHistory]), []);
  });

  it("accepts an Anthropic-compatible llm_base_url, including plain http on a host in CONSOLE_PRIVATE_ENDPOINTS", () => {
    const privateEndpoints = allowList("127.0.0.1,localhost:4000");
    for (const baseUrl of ["https://api.anthropic.com", "https://gateway.example.com/anthropic", "http://127.0.0.1:8080", "http://localhost:4000/v1"]) {
      const checks = diagnoseVaults(
        [llmVault({ metadata: { [`${RESERVED}role`]: "llm", [`${RESERVED}engine`]: "claude", [`${RESERVED}llm_base_url`]: baseUrl } })],
        { privateEndpoints },
      );
      expect(failing(checks), baseUrl).toEqual([]);
    }
  });

  it("does not change its input", () => {
    const vaults = [mcpVault(), llmVault()];
    const before = structuredClone(vaults);
    diagnoseVaults(vaults);
    expect(vaults).toEqual(before);
  });
});

describe("diagnoseVaults: each check fails for its own cause", () => {
  it("no_llm_vault: nothing attached, with the attach fix", () => {
    const checks = diagnoseVaults([]);
    expectWellFormed(checks);
    const noVault = checkFor(checks, "no_llm_vault");
    expect(noVault.ok).toBe(false);
    expect(noVault.fix).toContain(ATTACH_FIX);
    // Not the multiple-vaults problem.
    expect(checkFor(checks, "multiple_llm_vaults").ok).toBe(true);
  });

  it("no_llm_vault: only non-LLM vaults attached", () => {
    const checks = diagnoseVaults([mcpVault(), credentialRoleVault()]);
    expectWellFormed(checks);
    expect(checkFor(checks, "no_llm_vault").ok).toBe(false);
    expect(checkFor(checks, "no_llm_vault").fix).toContain(ATTACH_FIX);
    expect(checkFor(checks, "multiple_llm_vaults").ok).toBe(true);
  });

  it("multiple_llm_vaults: two LLM vaults, even when each is ready on its own", () => {
    const checks = diagnoseVaults([llmVault(), mcpVault(), llmVault()]);
    expectWellFormed(checks);
    const multiple = checkFor(checks, "multiple_llm_vaults");
    expect(multiple.ok).toBe(false);
    expect(multiple.fix ?? "").toMatch(/one/i);
    // There is an LLM vault; the problem is that there are two.
    expect(checkFor(checks, "no_llm_vault").ok).toBe(true);
  });

  it("engine_mismatch: an engine other than claude, or none", () => {
    const variants: Array<Record<string, string>> = [
      { [`${RESERVED}role`]: "llm", [`${RESERVED}engine`]: "codex" },
      { [`${RESERVED}role`]: "llm", [`${RESERVED}engine`]: "openai" },
      { [`${RESERVED}role`]: "llm" },
    ];
    for (const metadata of variants) {
      const checks = diagnoseVaults([llmVault({ metadata })]);
      expectOnlyFailing(checks, ["engine_mismatch"]);
      expect(checkFor(checks, "engine_mismatch").fix ?? "").toContain("claude");
    }
  });

  it("llm_vault_archived: the attached LLM vault was archived", () => {
    const checks = diagnoseVaults([llmVault({ archivedAt: CREATED })]);
    expectOnlyFailing(checks, ["llm_vault_archived"]);
  });

  it("llm_vault_archived and no_active_credential: archived as the API does it (the credential purged with it)", () => {
    const archived = llmVault({
      archivedAt: CREATED,
      credentials: (vaultId) => [credential(vaultId, { archivedAt: CREATED, activeLlmSlot: null, tokenHint: null })],
    });
    const checks = diagnoseVaults([archived]);
    expectWellFormed(checks);
    expect(checkFor(checks, "llm_vault_archived").ok).toBe(false);
    expect(checkFor(checks, "no_active_credential").ok).toBe(false);
    expect(checkFor(checks, "no_llm_vault").ok).toBe(true);
    expect(checkFor(checks, "engine_mismatch").ok).toBe(true);
    // One cause, one failure: the purged token is part of the archive, not a second problem.
    expect(failing(checks)).toEqual(["llm_vault_archived"]);
    expect(skippedCodes(checks)).toEqual(DIAGNOSTIC_CODES.slice(DIAGNOSTIC_CODES.indexOf("no_active_credential")));
    for (const code of skippedCodes(checks)) expect(checkFor(checks, code).fix).toBe(checkFor(checks, "llm_vault_archived").fix);
    expect(checks.every((entry) => entry.ok || entry.skipped || entry.code === "llm_vault_archived")).toBe(true);
  });

  it("no_active_credential: an LLM vault with no credential, or only archived ones", () => {
    for (const credentials of [() => [], (vaultId: string) => [credential(vaultId, { archivedAt: CREATED, activeLlmSlot: null })]]) {
      const checks = diagnoseVaults([llmVault({ credentials })]);
      expectWellFormed(checks);
      expect(checkFor(checks, "no_active_credential").ok).toBe(false);
      for (const code of ["no_llm_vault", "multiple_llm_vaults", "engine_mismatch", "llm_vault_archived", "openai_compatible_endpoint"] as const) {
        expect(checkFor(checks, code).ok, code).toBe(true);
      }
      // One missing credential is one failure, not three: the checks of its shape wait on it.
      expect(failing(checks)).toEqual(["no_active_credential"]);
      expect(skippedCodes(checks)).toEqual(["credential_not_static_bearer", "credential_has_mcp_server_url"]);
      for (const code of skippedCodes(checks)) {
        expect(checkFor(checks, code).ok).toBe(false);
        expect(checkFor(checks, code).fix).toBe(checkFor(checks, "no_active_credential").fix);
      }
    }
  });

  it("credential_not_static_bearer: the LLM vault's credential is OAuth or an environment variable", () => {
    for (const authType of ["mcp_oauth", "environment_variable"] as const) {
      const checks = diagnoseVaults([
        llmVault({
          credentials: (vaultId) => [credential(vaultId, { authType, secretName: authType === "environment_variable" ? "ANTHROPIC_API_KEY" : null })],
        }),
      ]);
      expectOnlyFailing(checks, ["credential_not_static_bearer"]);
    }
  });

  it("credential_has_mcp_server_url: the LLM vault's static bearer is bound to an MCP server", () => {
    const bound = llmVault({
      credentials: (vaultId) => [
        credential(vaultId, {
          mcpServerUrl: "https://mcp.example.com/sse",
          activeMcpServerUrlKey: "https://mcp.example.com/sse",
          authPublic: { type: "static_bearer", mcp_server_url: "https://mcp.example.com/sse" },
        }),
      ],
    });
    const checks = diagnoseVaults([bound]);
    expectOnlyFailing(checks, ["credential_has_mcp_server_url"]);
    expect(checkFor(checks, "credential_has_mcp_server_url").fix ?? "").toMatch(/mcp_server_url|static_bearer/);
  });

  it("openai_compatible_endpoint: an llm_base_url of a known OpenAI-compatible shape", () => {
    for (const baseUrl of [
      "https://api.openai.com/v1",
      "https://api.openai.com",
      "https://gateway.example.com/v1/chat/completions",
      "https://gateway.example.com/openai/v1/responses",
    ]) {
      const checks = diagnoseVaults([
        llmVault({ metadata: { [`${RESERVED}role`]: "llm", [`${RESERVED}engine`]: "claude", [`${RESERVED}llm_base_url`]: baseUrl } }),
      ]);
      expectOnlyFailing(checks, ["openai_compatible_endpoint"]);
      expect(checkFor(checks, "openai_compatible_endpoint").fix ?? "", baseUrl).toMatch(/anthropic/i);
    }
  });

  it("reports several independent problems of one LLM vault at once, in the spec's order", () => {
    const metadata = { [`${RESERVED}role`]: "llm", [`${RESERVED}engine`]: "codex", [`${RESERVED}llm_base_url`]: "https://api.openai.com/v1" };
    const credentials = (vaultId: string) => [
      credential(vaultId, { authType: "mcp_oauth", mcpServerUrl: "https://mcp.example.com/x", endpointOrigin: "https://api.openai.com" }),
    ];
    const checks = diagnoseVaults([llmVault({ metadata, credentials })]);
    expectOnlyFailing(checks, ["engine_mismatch", "credential_not_static_bearer", "credential_has_mcp_server_url", "openai_compatible_endpoint"]);
    expect(skippedCodes(checks)).toEqual([]);

    // Archived as well: its credential and endpoint no longer matter, only another vault does.
    const archived = diagnoseVaults([llmVault({ metadata, credentials, archivedAt: CREATED })]);
    expectOnlyFailing(archived, ["engine_mismatch", "llm_vault_archived"]);
  });

  it("is never ready without exactly one LLM vault", () => {
    for (const vaults of [[], [mcpVault()], [llmVault(), llmVault()]]) {
      const checks = diagnoseVaults(vaults);
      expectWellFormed(checks);
      expect(checks.some((entry) => !entry.ok)).toBe(true);
    }
  });
});

describe("diagnoseVaults: master_key_missing", () => {
  const sealedUnder = (keyId: string) => llmVault({ credentials: (vaultId) => [credential(vaultId, { secretKeyId: keyId })] });

  it("passes when the credential's master key is loaded", () => {
    expectOnlyFailing(diagnoseVaults([sealedUnder("mk_loaded")], { isMasterKeyLoaded: (keyId) => keyId === "mk_loaded" }), []);
  });

  it("fails, naming the key and how to load it, when another process sealed it under a key this one lacks", () => {
    const checks = diagnoseVaults([sealedUnder("mk_0123456789abcdef")], { isMasterKeyLoaded: (keyId) => keyId === "mk_loaded" });
    expectOnlyFailing(checks, ["master_key_missing"]);
    const missing = checkFor(checks, "master_key_missing");
    expect(missing.message).toContain("mk_0123456789abcdef");
    expect(missing.fix).toContain("mk_0123456789abcdef");
    expect(missing.fix).toContain("CONSOLE_MASTER_KEY_ACCEPTED");
  });
});

describe("diagnoseVaults: llm_endpoint_refused (the boundary's endpoint decision)", () => {
  const at = (baseUrl: string, credentials?: (vaultId: string) => AttachedCredential[]) =>
    llmVault({
      metadata: { [`${RESERVED}role`]: "llm", [`${RESERVED}engine`]: "claude", [`${RESERVED}llm_base_url`]: baseUrl },
      credentials,
    });

  it("fails for a stored URL the policy now refuses (written before it), naming the host to allow and the other way out", () => {
    for (const baseUrl of [
      "http://localhost:4000",
      "http://127.0.0.1:8080",
      "https://10.0.0.7",
      "https://metadata.google.internal",
      "http://gateway.example.com",
    ]) {
      const checks = diagnoseVaults([at(baseUrl)]);
      expectOnlyFailing(checks, ["llm_endpoint_refused"]);
      const refused = checkFor(checks, "llm_endpoint_refused");
      expect(refused.message, baseUrl).toContain(baseUrl);
      expect(refused.fix, baseUrl).toContain(`list ${new URL(baseUrl).host} in CONSOLE_PRIVATE_ENDPOINTS`);
      expect(refused.fix, baseUrl).toMatch(/archive credential vcrd_\w+, point .*llm_base_url.* then add the token again/);
    }
  });

  it("passes for the same URL once its host is in CONSOLE_PRIVATE_ENDPOINTS", () => {
    expectOnlyFailing(diagnoseVaults([at("http://localhost:4000")], { privateEndpoints: allowList("localhost:4000") }), []);
    // The port counts: another port of the host is still refused.
    expectOnlyFailing(diagnoseVaults([at("http://localhost:4000")], { privateEndpoints: allowList("localhost:5000") }), ["llm_endpoint_refused"]);
  });

  it("fails for a stored value that does not parse, with only the change-the-endpoint fix", () => {
    const checks = diagnoseVaults([at("https://gateway.example.com/a b")]);
    expectOnlyFailing(checks, ["llm_endpoint_refused"]);
    expect(checkFor(checks, "llm_endpoint_refused").fix).not.toContain("CONSOLE_PRIVATE_ENDPOINTS");
  });

  it("fails for a token stored for another origin, or before binding (NULL), and says to rotate it to re-bind", () => {
    for (const endpointOrigin of [null, "https://old-gateway.example.com"]) {
      const checks = diagnoseVaults([at("https://gateway.example.com/anthropic", (vaultId) => [credential(vaultId, { id: "vcrd_moved", endpointOrigin })])]);
      expectOnlyFailing(checks, ["llm_endpoint_refused"]);
      const unbound = checkFor(checks, "llm_endpoint_refused");
      expect(unbound.message).toContain("https://gateway.example.com");
      if (endpointOrigin) expect(unbound.message).toContain(endpointOrigin);
      expect(unbound.fix).toMatch(/Rotate credential vcrd_moved's token .* bind it to https:\/\/gateway\.example\.com/);
    }
  });

  it("checks only the policy while the vault holds no credential", () => {
    const empty = (baseUrl: string) => at(baseUrl, () => []);
    expect(checkFor(diagnoseVaults([empty("https://gateway.example.com")]), "llm_endpoint_refused").ok).toBe(true);
    const refused = checkFor(diagnoseVaults([empty("http://localhost:4000")]), "llm_endpoint_refused");
    expect(refused.ok).toBe(false);
    expect(refused.fix).toContain("list localhost:4000 in CONSOLE_PRIVATE_ENDPOINTS");
    expect(refused.fix).not.toContain("archive credential");
  });
});

describe("diagnoseVaults: skipped checks", () => {
  it("marks the checks that need exactly one LLM vault as skipped when there is none, and only those", () => {
    const checks = diagnoseVaults([]);
    expect(checks.filter((entry) => entry.skipped).map((entry) => entry.code)).toEqual(DIAGNOSTIC_CODES.slice(2));
    expect(checks.filter((entry) => !entry.skipped && !entry.ok).map((entry) => entry.code)).toEqual(["no_llm_vault"]);
  });

  it("skips nothing once one LLM vault is attached, even a broken one", () => {
    expect(diagnoseVaults([llmVault()]).some((entry) => entry.skipped)).toBe(false);
  });
});
