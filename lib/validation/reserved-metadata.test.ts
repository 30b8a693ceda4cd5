import { describe, expect, it } from "vitest";
import { NO_PRIVATE_ENDPOINTS, parsePrivateEndpoints } from "@/lib/boundary/endpoint-policy";
import {
  DEFAULT_LLM_BASE_URL,
  isReservedKey,
  llmBaseUrlOf,
  llmEndpointOriginOf,
  normalizedVaultMetadata,
  RESERVED_KEYS,
  reservedMetadataIssues,
  type MetadataIssue,
  type MetadataOwner,
} from "@/lib/validation/reserved-metadata";

const R = "sandbox0.managed_agents.";

const LLM_VAULT = { [`${R}role`]: "llm", [`${R}engine`]: "claude" };
const CREDENTIAL_VAULT = {
  [`${R}role`]: "credential",
  [`${R}kind`]: "http_headers",
  [`${R}version`]: "1",
  [`${R}target_domains`]: "api.example.com,*.example.org",
  [`${R}headers_json`]: JSON.stringify({ Authorization: "Bearer {{token}}", "X-Team": "research" }),
};

/** As the test suite's consoles run: loopback stubs allowed (CONSOLE_PRIVATE_ENDPOINTS). */
const PRIVATE_ENDPOINTS = (() => {
  const parsed = parsePrivateEndpoints("127.0.0.1, localhost:8080, [::1]");
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.endpoints;
})();

function vaultIssues(metadata: Record<string, string>): MetadataIssue[] {
  return reservedMetadataIssues(metadata, "vault", PRIVATE_ENDPOINTS);
}

/** The single issue for `key`; fails the test when there is none or more than one. */
function issueFor(metadata: Record<string, string>, key: string): string {
  const matching = vaultIssues(metadata).filter((issue) => issue.key === key);
  expect(matching).toHaveLength(1);
  return matching[0]?.message ?? "";
}

describe("reservedMetadataIssues on vaults: any role", () => {
  it("has nothing to say about metadata without reserved keys", () => {
    expect(vaultIssues({})).toEqual([]);
    expect(vaultIssues({ team: "research", "sandbox0.other": "x", "managed_agents.role": "llm" })).toEqual([]);
  });

  it("requires the role once any reserved key is present", () => {
    const issues = vaultIssues({ [`${R}engine`]: "claude" });
    expect(issues).toEqual([{ key: RESERVED_KEYS.role, message: expect.stringMatching(/is required/) }]);
  });

  it.each(["", "LLM", "mcp", "llm "])("accepts only llm or credential as the role, not %j", (role) => {
    expect(issueFor({ [`${R}role`]: role }, RESERVED_KEYS.role)).toBe('must be "llm" or "credential"');
  });

  it("rejects an unknown reserved key as not supported", () => {
    expect(issueFor({ ...LLM_VAULT, [`${R}model`]: "opus" }, `${R}model`)).toBe("reserved key not supported");
    expect(issueFor({ ...CREDENTIAL_VAULT, [`${R}model`]: "opus" }, `${R}model`)).toBe("reserved key not supported");
  });

  it("reports an unknown reserved key even without a role", () => {
    const keys = vaultIssues({ [`${R}unknown`]: "x" }).map((issue) => issue.key);
    expect(keys).toEqual(expect.arrayContaining([`${R}unknown`, RESERVED_KEYS.role]));
  });

  it("detects the reserved prefix case-insensitively", () => {
    expect(isReservedKey("Sandbox0.Managed_Agents.role")).toBe(true);
    expect(isReservedKey("SANDBOX0.MANAGED_AGENTS.ENGINE")).toBe(true);
    expect(isReservedKey("sandbox0.managed_agents")).toBe(false);
    expect(isReservedKey("x.sandbox0.managed_agents.role")).toBe(false);
  });

  it("does not let a differently cased reserved key slip through", () => {
    expect(vaultIssues({ "Sandbox0.Managed_Agents.role": "llm" })).not.toEqual([]);
    expect(vaultIssues({ ...LLM_VAULT, "SANDBOX0.MANAGED_AGENTS.llm_base_url": "http://evil.example" })).not.toEqual([]);
  });
});

describe("reservedMetadataIssues on vaults: role llm", () => {
  it("accepts the documented LLM vault, with or without a base URL", () => {
    expect(vaultIssues(LLM_VAULT)).toEqual([]);
    expect(vaultIssues({ ...LLM_VAULT, [`${R}llm_base_url`]: "https://gateway.example.com/anthropic" })).toEqual([]);
  });

  it("keeps ordinary keys beside the reserved ones", () => {
    expect(vaultIssues({ ...LLM_VAULT, team: "research" })).toEqual([]);
  });

  it("requires the engine", () => {
    expect(issueFor({ [`${R}role`]: "llm" }, RESERVED_KEYS.engine)).toMatch(/is required.*"claude"/);
  });

  it.each(["codex", "openai", "Claude", "claude-3", ""])("rejects the engine %j, saying OpenAI-compatible support is separate and not enabled", (engine) => {
    const message = issueFor({ ...LLM_VAULT, [`${R}engine`]: engine }, RESERVED_KEYS.engine);
    expect(message).toMatch(/OpenAI-compatible/);
    expect(message).toMatch(/separate/);
    expect(message).toMatch(/not enabled/);
  });

  it.each(["kind", "version", "target_domains", "headers_json", "protocol", "tls_mode", "failure_policy"])(
    "allows only role, engine and llm_base_url, not %s",
    (key) => {
      expect(issueFor({ ...LLM_VAULT, [`${R}${key}`]: "x" }, `${R}${key}`)).toMatch(/not allowed on an LLM vault/);
    },
  );

  it.each([
    "https://api.anthropic.com",
    "https://api.anthropic.com/",
    "https://gateway.example.com:8443/v1",
    "http://localhost:8080",
    "http://127.0.0.1:4000/anthropic",
    "http://[::1]:4000",
  ])("accepts the base URL %s", (url) => {
    expect(vaultIssues({ ...LLM_VAULT, [`${R}llm_base_url`]: url })).toEqual([]);
  });

  it.each([
    ["plain http to a remote host", "http://gateway.example.com", /must use https/],
    ["plain http to a private address", "http://10.0.0.5:8080", /private address/],
    ["https to a private address", "https://10.0.0.5", /private address/],
    ["a metadata address", "https://169.254.169.254", /link-local/],
    ["an unlisted loopback", "http://127.0.0.2:5432", /loopback/],
    ["localhost on an unlisted port", "http://localhost:5432", /loopback name/],
    ["a leading space", " https://api.anthropic.com", /whitespace/],
    ["a trailing newline", "https://api.anthropic.com\n", /whitespace/],
    ["a backslash", "https://\\@evil.example.com", /backslashes/],
    ["a relative URL", "/v1/messages", /absolute https URL/],
    ["no scheme", "api.anthropic.com", /absolute https URL/],
    ["another scheme", "ftp://api.anthropic.com", /https/],
    ["credentials", "https://user:secret@gateway.example.com", /credentials/],
    ["a username", "https://sk-ant-token@gateway.example.com", /credentials/],
    ["a query", "https://gateway.example.com/?key=abc", /query/],
    ["an empty query", "https://gateway.example.com/?", /query/],
    ["a fragment", "https://gateway.example.com/#x", /fragment/],
    ["a URL over 2047 characters", `https://gateway.example.com/${"a".repeat(2048)}`, /2047/],
  ])("rejects a base URL with %s", (_label, url, expected) => {
    expect(issueFor({ ...LLM_VAULT, [`${R}llm_base_url`]: url }, RESERVED_KEYS.llmBaseUrl)).toMatch(expected);
  });

  it.each([
    "https://api.openai.com",
    "https://api.openai.com/v1",
    "https://API.OPENAI.COM/v1",
    "https://gateway.example.com/v1/chat/completions",
    "https://gateway.example.com/openai/v1/chat/completions/",
    "https://gateway.example.com/v1/responses",
  ])("rejects the OpenAI-compatible shape %s, asking for an Anthropic-compatible endpoint", (url) => {
    expect(issueFor({ ...LLM_VAULT, [`${R}llm_base_url`]: url }, RESERVED_KEYS.llmBaseUrl)).toMatch(/use an Anthropic-compatible endpoint/);
  });
});

describe("reservedMetadataIssues on vaults: role credential", () => {
  it("accepts the documented HTTP header credential vault", () => {
    expect(vaultIssues(CREDENTIAL_VAULT)).toEqual([]);
  });

  it("accepts every documented value of the optional enums", () => {
    for (const protocol of ["https", "http"]) {
      for (const tlsMode of ["terminate-reoriginate", "passthrough"]) {
        for (const failurePolicy of ["fail-closed", "fail-open"]) {
          const metadata = {
            ...CREDENTIAL_VAULT,
            [`${R}protocol`]: protocol,
            [`${R}tls_mode`]: tlsMode,
            [`${R}failure_policy`]: failurePolicy,
          };
          expect(vaultIssues(metadata)).toEqual([]);
        }
      }
    }
  });

  it.each(["kind", "version", "target_domains", "headers_json"])("requires %s", (key) => {
    const metadata: Record<string, string> = { ...CREDENTIAL_VAULT };
    delete metadata[`${R}${key}`];
    expect(issueFor(metadata, `${R}${key}`)).toMatch(/is required/);
  });

  it("reports every missing key at once", () => {
    const keys = vaultIssues({ [`${R}role`]: "credential" }).map((issue) => issue.key);
    expect(keys.sort()).toEqual([`${R}headers_json`, `${R}kind`, `${R}target_domains`, `${R}version`]);
  });

  it.each([
    ["kind", "bearer", /"http_headers"/],
    ["version", "2", /"1"/],
    ["version", "1.0", /"1"/],
    ["protocol", "ftp", /"https", "http"/],
    ["protocol", "HTTPS", /"https", "http"/],
    ["tls_mode", "mitm", /"terminate-reoriginate", "passthrough"/],
    ["failure_policy", "ignore", /"fail-closed", "fail-open"/],
  ])("rejects %s=%j", (key, value, expected) => {
    expect(issueFor({ ...CREDENTIAL_VAULT, [`${R}${key}`]: value }, `${R}${key}`)).toMatch(expected);
  });

  it.each(["engine", "llm_base_url"])("does not allow the LLM key %s", (key) => {
    expect(issueFor({ ...CREDENTIAL_VAULT, [`${R}${key}`]: "claude" }, `${R}${key}`)).toMatch(/not allowed/);
  });

  it.each(["api.example.com", "*.example.com", "a.example.com, b.example.com", "10.0.0.1"])("accepts target_domains %j", (domains) => {
    expect(vaultIssues({ ...CREDENTIAL_VAULT, [`${R}target_domains`]: domains })).toEqual([]);
  });

  it.each(["", ",", "api.example.com,", "https://api.example.com", "api.example.com:443", "api.example.com/path", "*"])(
    "rejects target_domains %j",
    (domains) => {
      issueFor({ ...CREDENTIAL_VAULT, [`${R}target_domains`]: domains }, `${R}target_domains`);
    },
  );

  it.each([
    ["not JSON", "Authorization: Bearer x", /JSON object/],
    ["an array", '["Authorization"]', /JSON object/],
    ["a string", '"Authorization"', /JSON object/],
    ["null", "null", /JSON object/],
    ["an empty object", "{}", /at least one header/],
    ["a non-string template", '{"X-Count": 1}', /must be a string/],
    ["a nested template", '{"Authorization": {"value": "x"}}', /must be a string/],
    ["an invalid header name", '{"Bad Header": "x"}', /not a valid header name/],
  ])("rejects headers_json that is %s", (_label, value, expected) => {
    expect(issueFor({ ...CREDENTIAL_VAULT, [`${R}headers_json`]: value }, `${R}headers_json`)).toMatch(expected);
  });
});

describe("reservedMetadataIssues on other resources", () => {
  const owners: MetadataOwner[] = ["credential", "session", "agent", "environment"];

  it.each(owners)("rejects every reserved key on %s metadata, naming the resource", (owner) => {
    const issues = reservedMetadataIssues({ ...LLM_VAULT, team: "research" }, owner);
    expect(issues.map((issue) => issue.key).sort()).toEqual([`${R}engine`, `${R}role`]);
    for (const issue of issues) {
      expect(issue.message).toContain(`${owner} metadata`);
      expect(issue.message).toMatch(/only on vaults/);
    }
  });

  it.each(owners)("rejects a differently cased reserved key on %s metadata", (owner) => {
    expect(reservedMetadataIssues({ "SANDBOX0.Managed_Agents.role": "llm" }, owner)).toHaveLength(1);
  });

  it.each(owners)("accepts ordinary %s metadata", (owner) => {
    expect(reservedMetadataIssues({ team: "research" }, owner)).toEqual([]);
  });
});

describe("llm_base_url: shape before the service, destination in it", () => {
  it("checks only the shape without the console's settings (a form, the create schema)", () => {
    const metadata = { ...LLM_VAULT, [`${R}llm_base_url`]: "https://10.0.0.5" };
    expect(reservedMetadataIssues(metadata, "vault")).toEqual([]);
    expect(reservedMetadataIssues(metadata, "vault", NO_PRIVATE_ENDPOINTS)[0]?.message).toMatch(/private address/);
  });

  it("stores the normalized spelling", () => {
    const metadata = { ...LLM_VAULT, [`${R}llm_base_url`]: "HTTPS://Gateway.Example.COM:443/anthropic/" };
    expect(normalizedVaultMetadata(metadata)[`${R}llm_base_url`]).toBe("https://gateway.example.com/anthropic");
    expect(normalizedVaultMetadata(LLM_VAULT)).toEqual(LLM_VAULT);
  });

  it("binds credentials to the endpoint's origin, the default when unset", () => {
    expect(llmEndpointOriginOf(LLM_VAULT)).toBe("https://api.anthropic.com");
    expect(llmEndpointOriginOf({ ...LLM_VAULT, [`${R}llm_base_url`]: "http://127.0.0.1:4000/x" })).toBe("http://127.0.0.1:4000");
    expect(llmEndpointOriginOf({ ...LLM_VAULT, [`${R}llm_base_url`]: " https://x.example.com" })).toBeNull();
  });
});

describe("llmBaseUrlOf", () => {
  it("defaults to the Anthropic API", () => {
    expect(DEFAULT_LLM_BASE_URL).toBe("https://api.anthropic.com");
    expect(llmBaseUrlOf(LLM_VAULT)).toEqual({ url: "https://api.anthropic.com", isDefault: true });
  });

  it("uses the reserved key when set", () => {
    expect(llmBaseUrlOf({ ...LLM_VAULT, [`${R}llm_base_url`]: "http://localhost:8080" })).toEqual({
      url: "http://localhost:8080",
      isDefault: false,
    });
  });
});

describe("llm_base_url host spellings", () => {
  it("recognises api.openai.com written with the root dot", () => {
    const issues = reservedMetadataIssues(
      {
        "sandbox0.managed_agents.role": "llm",
        "sandbox0.managed_agents.engine": "claude",
        "sandbox0.managed_agents.llm_base_url": "https://api.openai.com./v1",
      },
      "vault",
    );
    expect(issues.map((issue) => issue.message).join()).toMatch(/Anthropic-compatible/);
  });
});
