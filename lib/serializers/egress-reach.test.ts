import { describe, expect, it } from "vitest";
import { planEgress, type PlannedVault } from "@/lib/boundary/egress-plan";
import { serializeEgressReach } from "@/lib/serializers/egress-reach";
import { defaultEnvironmentConfig } from "@/lib/validation/environments";

const RESERVED = "sandbox0.managed_agents.";

function reachOf(vaults: PlannedVault[], environmentConfig = defaultEnvironmentConfig()) {
  return serializeEgressReach(planEgress({ sessionId: "sesn_1", environmentId: "env_1", environmentConfig, vaults, privateEndpoints: new Set<string>() }));
}

describe("serializeEgressReach", () => {
  it("names a header vault's headers, never their template values, and marks passthrough as a tunnel", () => {
    const reach = reachOf([
      {
        id: "vlt_h",
        kind: "credential",
        metadata: {
          [`${RESERVED}role`]: "credential",
          [`${RESERVED}target_domains`]: "api.example.com",
          [`${RESERVED}headers_json`]: JSON.stringify({ "X-Team": "literal-team-value", Authorization: "Bearer {{token}}" }),
          [`${RESERVED}tls_mode`]: "passthrough",
        },
        credentials: [],
      },
    ]);
    expect(reach.routes).toEqual([
      {
        host: "api.example.com",
        scope: null,
        action: "tunnel",
        credential: { kind: "http_headers", vault_id: "vlt_h", credential_id: null, names: ["X-Team", "Authorization"] },
        opens_host: true,
        problem: expect.stringContaining("holds no static_bearer token"),
      },
    ]);
    expect(JSON.stringify(reach)).not.toContain("literal-team-value");
  });

  it("shows a route's protocol, port and path only when they narrow it", () => {
    const reach = reachOf([
      {
        id: "vlt_m",
        kind: null,
        metadata: {},
        credentials: [
          { id: "vcrd_a", authType: "static_bearer", mcpServerUrl: "https://mcp.example.com/", authPublic: {}, endpointOrigin: null },
          { id: "vcrd_b", authType: "mcp_oauth", mcpServerUrl: "http://tools.example.com:8080/mcp", authPublic: {}, endpointOrigin: null },
        ],
      },
    ]);
    expect(reach.routes.map((route) => [route.host, route.scope, route.credential.names])).toEqual([
      ["mcp.example.com", null, ["static_bearer"]],
      ["tools.example.com", "http · port 8080 · paths /mcp*", ["mcp_oauth"]],
    ]);
  });

  it("says when a limited environment refuses an environment variable's host", () => {
    const variable = (id: string, host: string) => ({
      id,
      authType: "environment_variable" as const,
      mcpServerUrl: null,
      authPublic: { secret_name: `VAR_${id}`, networking: { type: "limited", allowed_hosts: [host] }, injection_location: { header: true, body: false } },
      endpointOrigin: null,
    });
    const limited = {
      ...defaultEnvironmentConfig(),
      networking: { type: "limited" as const, allowed_hosts: ["*.github.com"], allow_mcp_servers: false, allow_package_managers: false },
    };
    const reach = reachOf([{ id: "vlt_v", kind: null, metadata: {}, credentials: [variable("a", "api.github.com"), variable("b", "gitlab.com")] }], limited);
    expect(reach.routes.map((route) => [route.host, route.opens_host, route.problem])).toEqual([
      ["api.github.com", false, null],
      ["gitlab.com", false, expect.stringContaining("gitlab.com is not in its allowed_hosts")],
    ]);
    expect(reachOf([{ id: "vlt_v", kind: null, metadata: {}, credentials: [variable("b", "gitlab.com")] }]).routes[0]?.problem).toBeNull();
  });
});
