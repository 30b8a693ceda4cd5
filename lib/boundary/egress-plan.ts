import { endpointBinding } from "@/lib/boundary/endpoint-binding";
import { PACKAGE_MANAGER_HOSTS } from "@/lib/boundary/package-manager-hosts";
import type { PrivateEndpoints } from "@/lib/boundary/endpoint-policy";
import type { EgressRoute } from "@/lib/boundary/egress-proxy";
import { environmentVariablePublicSchema } from "@/lib/serializers/credentials";
import { storedMetadata } from "@/lib/validation/common";
import type { EnvironmentConfig } from "@/lib/validation/environments";
import { RESERVED_KEYS } from "@/lib/validation/reserved-metadata";

/**
 * Which credential applies to which host for one session, from non-secret facts only: the
 * session's environment and its attached vaults and their active credentials. The egress proxy
 * adds the opening of each secret to this plan (lib/boundary/egress-grants.ts); the session page
 * shows it as it is. Pure: no database, no secret.
 */

export interface PlannedCredential {
  id: string;
  authType: "static_bearer" | "mcp_oauth" | "environment_variable";
  mcpServerUrl: string | null;
  authPublic: unknown;
  /** An LLM credential's origin when its token was stored (lib/boundary/endpoint-binding.ts). */
  endpointOrigin: string | null;
}

export interface PlannedVault {
  id: string;
  kind: "llm" | "credential" | null;
  metadata: unknown;
  /** Active credentials only. */
  credentials: PlannedCredential[];
}

/** Where a route's secret comes from; the proxy opens it per request. */
export type RouteSource =
  | { kind: "llm"; vaultId: string; credentialId: string | null }
  | { kind: "http_headers"; vaultId: string; tokenCredentialId: string | null; templates: Record<string, string>; failOpen: boolean }
  | { kind: "mcp"; vaultId: string; credentialId: string; authType: "static_bearer" | "mcp_oauth" }
  | { kind: "environment_variable"; vaultId: string; credentialId: string; secretName: string; inHeaders: boolean; inBody: boolean };

export interface PlannedRoute extends Omit<EgressRoute, "open"> {
  source: RouteSource;
  /** Why nothing can be injected (the request is refused, fail-closed); null when the route works. */
  problem: string | null;
}

export interface EgressPlan {
  sessionId: string;
  environmentId: string;
  /** The environment's allowed_hosts when limited; null when unrestricted. */
  allowedHosts: string[] | null;
  routes: PlannedRoute[];
}

/** The variables an environment_variable credential gives the runtime: secret_name → credential id. */
export function plannedVariables(plan: EgressPlan): Array<{ name: string; credentialId: string }> {
  return plan.routes.flatMap((route) =>
    route.source.kind === "environment_variable" ? [{ name: route.source.secretName, credentialId: route.source.credentialId }] : [],
  );
}

const TOKEN_TEMPLATE = /\{\{\s*token\s*\}\}/g;

/** A header template with `{{token}}` filled in. */
export function renderTemplate(template: string, token: string): string {
  return template.replace(TOKEN_TEMPLATE, () => token);
}

function templatesOf(metadata: Record<string, string>): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(metadata[RESERVED_KEYS.headersJson] ?? "{}");
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  } catch {
    return {};
  }
}

function defaultPort(protocol: string): number {
  return protocol === "http:" ? 80 : 443;
}

function urlRoute(url: URL): Pick<PlannedRoute, "host" | "protocols" | "port" | "pathPrefix"> {
  const protocol = url.protocol === "http:" ? "http:" : "https:";
  return {
    host: url.hostname.replace(/^\[|\]$/g, "").toLowerCase(),
    protocols: [protocol],
    port: url.port ? Number(url.port) : defaultPort(protocol),
    pathPrefix: url.pathname || "/",
  };
}

function llmRoutes(vault: PlannedVault, privateEndpoints: PrivateEndpoints): PlannedRoute[] {
  const credential = vault.credentials.find((each) => each.authType === "static_bearer" && each.mcpServerUrl === null);
  const binding = endpointBinding(vault.metadata, privateEndpoints, credential && { endpointOrigin: credential.endpointOrigin });
  const source: RouteSource = { kind: "llm", vaultId: vault.id, credentialId: credential?.id ?? null };
  const label = `LLM vault ${vault.id}`;
  if (!binding.ok) {
    // Without a usable URL there is no host to route; the proxy then tunnels or refuses by policy alone.
    if (binding.code === "endpoint_refused") return [];
    const url = new URL(binding.currentOrigin);
    return [
      {
        ...urlRoute(url),
        intercept: true,
        widens: true,
        label,
        source,
        problem: `The token in LLM vault ${vault.id} was stored for ${binding.boundOrigin ?? "another endpoint"}, not for ${binding.currentOrigin}; archive the credential and add the token for the vault's current endpoint`,
      },
    ];
  }
  const problem = credential ? null : `LLM vault ${vault.id} holds no active token; add its token as an unbound static_bearer credential`;
  return [{ ...urlRoute(binding.url), intercept: true, widens: true, label, source, problem }];
}

function headerRoutes(vault: PlannedVault): PlannedRoute[] {
  const metadata = storedMetadata(vault.metadata);
  const domains = (metadata[RESERVED_KEYS.targetDomains] ?? "")
    .split(",")
    .map((domain) => domain.trim().toLowerCase().replace(/\.$/, ""))
    .filter(Boolean);
  const protocol = metadata[RESERVED_KEYS.protocol] === "http" ? "http:" : "https:";
  const passthrough = metadata[RESERVED_KEYS.tlsMode] === "passthrough";
  const failOpen = metadata[RESERVED_KEYS.failurePolicy] === "fail-open";
  const token = vault.credentials.find((each) => each.authType === "static_bearer" && each.mcpServerUrl === null);
  const templates = templatesOf(metadata);
  const needsToken = Object.values(templates).some((template) => new RegExp(TOKEN_TEMPLATE.source).test(template));
  const problem =
    needsToken && !token && !failOpen
      ? `HTTP header credential vault ${vault.id} holds no static_bearer token for its {{token}} templates (failure_policy fail-closed); add one`
      : null;
  return domains.map((domain) => ({
    host: domain,
    protocols: [protocol],
    port: null,
    pathPrefix: "/",
    intercept: !passthrough,
    widens: true,
    label: `HTTP header credential vault ${vault.id}`,
    source: { kind: "http_headers", vaultId: vault.id, tokenCredentialId: token?.id ?? null, templates, failOpen },
    problem,
  }));
}

function mcpRoute(vault: PlannedVault, credential: PlannedCredential): PlannedRoute[] {
  if (!credential.mcpServerUrl || credential.authType === "environment_variable") return [];
  let url: URL;
  try {
    url = new URL(credential.mcpServerUrl);
  } catch {
    return [];
  }
  return [
    {
      ...urlRoute(url),
      intercept: true,
      widens: true,
      label: `MCP credential ${credential.id} (vault ${vault.id})`,
      source: { kind: "mcp", vaultId: vault.id, credentialId: credential.id, authType: credential.authType },
      problem: null,
    },
  ];
}

function variableRoutes(vault: PlannedVault, credential: PlannedCredential): PlannedRoute[] {
  const parsed = environmentVariablePublicSchema.safeParse(credential.authPublic);
  if (!parsed.success) return [];
  const auth = parsed.data;
  const hosts = auth.networking.type === "limited" ? auth.networking.allowed_hosts.map((host) => host.toLowerCase()) : ["*"];
  return hosts.map((host) => ({
    host,
    protocols: ["https:", "http:"],
    port: null,
    pathPrefix: "/",
    intercept: true,
    // Where a value may go, not where the session may go: the environment decides that.
    widens: false,
    label: `environment variable ${auth.secret_name} (credential ${credential.id})`,
    source: {
      kind: "environment_variable",
      vaultId: vault.id,
      credentialId: credential.id,
      secretName: auth.secret_name,
      inHeaders: auth.injection_location.header,
      inBody: auth.injection_location.body,
    },
    problem: null,
  }));
}

// The list lives in package-manager-hosts.ts, free of zod, so the environment form can show it.
export { PACKAGE_MANAGER_HOSTS };

/** The host patterns a limited environment allows (null: unrestricted). */
export function allowedHostsOf(config: EnvironmentConfig): string[] | null {
  const networking = config.networking;
  if (networking.type === "unrestricted") return null;
  const hosts = networking.allowed_hosts.map((host) => host.toLowerCase());
  return networking.allow_package_managers ? [...hosts, ...PACKAGE_MANAGER_HOSTS] : hosts;
}

export function planEgress(input: {
  sessionId: string;
  environmentId: string;
  environmentConfig: EnvironmentConfig;
  vaults: PlannedVault[];
  privateEndpoints: PrivateEndpoints;
}): EgressPlan {
  const routes = input.vaults.flatMap((vault) => {
    const own = vault.kind === "llm" ? llmRoutes(vault, input.privateEndpoints) : vault.kind === "credential" ? headerRoutes(vault) : [];
    const perCredential = vault.credentials.flatMap((credential) => [...mcpRoute(vault, credential), ...variableRoutes(vault, credential)]);
    return [...own, ...perCredential];
  });
  return {
    sessionId: input.sessionId,
    environmentId: input.environmentId,
    allowedHosts: allowedHostsOf(input.environmentConfig),
    routes,
  };
}
