import type { EgressPlan, PlannedRoute } from "@/lib/boundary/egress-plan";
// The proxy's own matching rule, so the page cannot disagree with it (this serializer is server-side only: the proxy module imports node:http).
import { hostMatches } from "@/lib/boundary/host-patterns";

/**
 * What the session page shows of an egress plan: per route, the host and what the proxy does
 * there, and which credential applies, named by kind, vault and id. Built field by field so
 * nothing secret can ride along: header templates are shown by their header names only (a
 * template may hold a literal value), never their values.
 */

export type ReachCredentialKind = "llm" | "http_headers" | "mcp" | "environment_variable";

export interface ReachRow {
  host: string;
  /** The protocols, port and path prefix when they narrow the route; null when it is any https request to the host. */
  scope: string | null;
  /** inject: TLS is terminated and the credential injected; tunnel: passed through untouched (tls_mode passthrough). */
  action: "inject" | "tunnel";
  credential: {
    kind: ReachCredentialKind;
    vault_id: string;
    credential_id: string | null;
    /** Header names, an environment variable's name, or the MCP credential's auth type. */
    names: string[];
  };
  /** False for an environment variable's hosts: they say where its value may go, not what the session may reach. */
  opens_host: boolean;
  /** Why the proxy refuses requests on this route (fail-closed, or a host the environment does not allow); null when it works. */
  problem: string | null;
}

/**
 * An environment variable's exact host that a limited environment refuses: its value would never
 * get there. Wildcard hosts are left alone (some of their hosts may be allowed).
 */
function environmentRefusal(plan: EgressPlan, route: PlannedRoute): string | null {
  if (route.widens || plan.allowedHosts === null || route.host.includes("*")) return null;
  const reachable =
    plan.allowedHosts.some((pattern) => hostMatches(pattern, route.host)) || plan.routes.some((other) => other.widens && hostMatches(other.host, route.host));
  return reachable
    ? null
    : `Environment ${plan.environmentId} has limited networking and ${route.host} is not in its allowed_hosts, so the proxy refuses it; add it there to allow it`;
}

function scopeOf(route: PlannedRoute): string | null {
  const parts: string[] = [];
  const protocols = route.protocols.map((protocol) => protocol.replace(/:$/, ""));
  if (protocols.length !== 1 || protocols[0] !== "https") parts.push(protocols.join(", "));
  const defaultPort = protocols.length === 1 && protocols[0] === "http" ? 80 : 443;
  if (route.port !== null && route.port !== defaultPort) parts.push(`port ${route.port}`);
  if (route.pathPrefix !== "/") parts.push(`paths ${route.pathPrefix}*`);
  return parts.length > 0 ? parts.join(" · ") : null;
}

function credentialOf(route: PlannedRoute): ReachRow["credential"] {
  const source = route.source;
  switch (source.kind) {
    case "llm":
      return { kind: "llm", vault_id: source.vaultId, credential_id: source.credentialId, names: ["x-api-key", "Authorization"] };
    case "http_headers":
      return { kind: "http_headers", vault_id: source.vaultId, credential_id: source.tokenCredentialId, names: Object.keys(source.templates) };
    case "mcp":
      return { kind: "mcp", vault_id: source.vaultId, credential_id: source.credentialId, names: [source.authType] };
    case "environment_variable":
      return { kind: "environment_variable", vault_id: source.vaultId, credential_id: source.credentialId, names: [source.secretName] };
  }
}

export function serializeEgressReach(plan: EgressPlan) {
  return {
    session_id: plan.sessionId,
    environment_id: plan.environmentId,
    routes: plan.routes.map((route): ReachRow => ({
      host: route.host,
      scope: scopeOf(route),
      action: route.intercept ? "inject" : "tunnel",
      credential: credentialOf(route),
      opens_host: route.widens,
      problem: route.problem ?? environmentRefusal(plan, route),
    })),
  };
}

export type EgressReachObject = ReturnType<typeof serializeEgressReach>;
