import { describe, expect, it } from "vitest";
import { planEgress, PACKAGE_MANAGER_HOSTS, plannedVariables, renderTemplate, type PlannedVault } from "@/lib/boundary/egress-plan";
import { NO_PRIVATE_ENDPOINTS } from "@/lib/boundary/endpoint-policy";
import { RESERVED_KEYS } from "@/lib/validation/reserved-metadata";
import { defaultEnvironmentConfig, storedEnvironmentConfig } from "@/lib/validation/environments";

const llmVault: PlannedVault = {
  id: "vlt_llm",
  kind: "llm",
  metadata: { [RESERVED_KEYS.role]: "llm", [RESERVED_KEYS.engine]: "claude", [RESERVED_KEYS.llmBaseUrl]: "https://gw.example.com/anthropic" },
  credentials: [
    { id: "vcrd_llm", authType: "static_bearer", mcpServerUrl: null, authPublic: { mcp_server_url: null }, endpointOrigin: "https://gw.example.com" },
  ],
};

const headerVault: PlannedVault = {
  id: "vlt_headers",
  kind: "credential",
  metadata: {
    [RESERVED_KEYS.role]: "credential",
    [RESERVED_KEYS.kind]: "http_headers",
    [RESERVED_KEYS.version]: "1",
    [RESERVED_KEYS.targetDomains]: "api.example.com, *.example.org",
    [RESERVED_KEYS.headersJson]: JSON.stringify({ Authorization: "Bearer {{token}}", "X-Team": "core" }),
  },
  credentials: [],
};

const mcpVault: PlannedVault = {
  id: "vlt_mcp",
  kind: null,
  metadata: {},
  credentials: [
    { id: "vcrd_mcp", authType: "mcp_oauth", mcpServerUrl: "https://mcp.example.net/servers/a", authPublic: {}, endpointOrigin: null },
    {
      id: "vcrd_env",
      authType: "environment_variable",
      mcpServerUrl: null,
      authPublic: {
        secret_name: "GITHUB_TOKEN",
        networking: { type: "limited", allowed_hosts: ["api.github.com"] },
        injection_location: { header: true, body: false },
      },
      endpointOrigin: null,
    },
  ],
};

function plan(vaults: PlannedVault[], config = defaultEnvironmentConfig()) {
  return planEgress({ sessionId: "sesn_a", environmentId: "env_a", environmentConfig: config, vaults, privateEndpoints: NO_PRIVATE_ENDPOINTS });
}

describe("egress plan", () => {
  it("routes each credential to its own hosts only", () => {
    const routes = plan([llmVault, headerVault, mcpVault]).routes.map((route) => ({
      host: route.host,
      port: route.port,
      pathPrefix: route.pathPrefix,
      kind: route.source.kind,
      widens: route.widens,
      problem: route.problem,
    }));
    expect(routes).toEqual([
      { host: "gw.example.com", port: 443, pathPrefix: "/anthropic", kind: "llm", widens: true, problem: null },
      { host: "api.example.com", port: null, pathPrefix: "/", kind: "http_headers", widens: true, problem: expect.stringContaining("fail-closed") },
      { host: "*.example.org", port: null, pathPrefix: "/", kind: "http_headers", widens: true, problem: expect.stringContaining("fail-closed") },
      { host: "mcp.example.net", port: 443, pathPrefix: "/servers/a", kind: "mcp", widens: true, problem: null },
      { host: "api.github.com", port: null, pathPrefix: "/", kind: "environment_variable", widens: false, problem: null },
    ]);
  });

  it("refuses an LLM token stored for another origin, and has no route for an endpoint the policy refuses", () => {
    const moved = { ...llmVault, credentials: [{ ...llmVault.credentials[0]!, endpointOrigin: "https://old.example.com" }] };
    expect(plan([moved]).routes[0]?.problem).toMatch(/stored for https:\/\/old\.example\.com/);
    const loopback = { ...llmVault, metadata: { ...(llmVault.metadata as Record<string, string>), [RESERVED_KEYS.llmBaseUrl]: "https://127.0.0.1:8443" } };
    expect(plan([loopback]).routes).toEqual([]);
  });

  it("tunnels a passthrough vault's domains, and a fail-open vault without a token has no problem", () => {
    const metadata = {
      ...(headerVault.metadata as Record<string, string>),
      [RESERVED_KEYS.tlsMode]: "passthrough",
      [RESERVED_KEYS.failurePolicy]: "fail-open",
    };
    const routes = plan([{ ...headerVault, metadata }]).routes;
    expect(routes.map((route) => [route.intercept, route.problem])).toEqual([
      [false, null],
      [false, null],
    ]);
  });

  it("lists a limited environment's hosts, with the registries when package managers are allowed", () => {
    const limited = storedEnvironmentConfig({
      type: "cloud",
      networking: { type: "limited", allowed_hosts: ["Docs.Example.com"], allow_package_managers: true },
    });
    expect(plan([], limited).allowedHosts).toEqual(["docs.example.com", ...PACKAGE_MANAGER_HOSTS]);
    expect(plan([]).allowedHosts).toBeNull();
  });

  it("names each environment variable for the runtime, and fills {{token}} in templates", () => {
    expect(plannedVariables(plan([mcpVault]))).toEqual([{ name: "GITHUB_TOKEN", credentialId: "vcrd_env" }]);
    expect(renderTemplate("Bearer {{token}} / {{ token }}", "t$&1")).toBe("Bearer t$&1 / t$&1");
  });
});
