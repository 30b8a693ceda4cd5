import type { EgressGrant, EgressRoute, OpenedRoute } from "@/lib/boundary/egress-proxy";
import { planEgress, renderTemplate, type EgressPlan, type PlannedRoute, type PlannedVault } from "@/lib/boundary/egress-plan";
import type { PrivateEndpoints } from "@/lib/boundary/endpoint-policy";
import { PLACEHOLDER_PATTERN, presentedPlaceholderHash, variablePlaceholder } from "@/lib/boundary/placeholders";
import type { PreparedQuery, PreparedStatement, RememberedRowsCoherence } from "@/lib/open-database";
import { ConsoleError } from "@/lib/errors";
import { mcpOauthPublicSchema } from "@/lib/serializers/credentials";
import { storedEnvironmentConfig } from "@/lib/validation/environments";
import type { OpenSecret } from "@/lib/boundary/base-url-target";
import { rememberedReads } from "@/lib/boundary/lookup";

/**
 * The egress proxy's view of a placeholder: its session, the session's environment, and every
 * attached live vault with its active credentials (sealed). One prepared query, one row per
 * credential; remembered until the next write to any table it reads, as the boundary's lookup is.
 */
const EGRESS_LOOKUP: PreparedStatement = {
  name: "egress_lookup_v1",
  text: `
    SELECT rc.session_id, rc.revoked_at IS NOT NULL AS revoked, rc.expires_at, s.archived_at IS NOT NULL AS session_archived,
           s.environment_id, e.config AS environment_config,
           v.id AS vault_id, v.role::text AS vault_kind, v.metadata AS vault_metadata,
           c.id AS credential_id, c.auth_type::text AS auth_type, c.auth_public, c.mcp_server_url,
           c.secret_ciphertext, c.secret_key_id, c.endpoint_origin
    FROM runtime_credentials rc
    JOIN sessions s ON s.id = rc.session_id
    JOIN environments e ON e.id = s.environment_id
    LEFT JOIN session_vaults sv ON sv.session_id = s.id
    LEFT JOIN vaults v ON v.id = sv.vault_id AND v.archived_at IS NULL
    LEFT JOIN vault_credentials c ON c.vault_id = v.id AND c.archived_at IS NULL
    WHERE rc.placeholder_hash = $1
    ORDER BY sv.position, c.created_at, c.id`,
};

interface EgressRow {
  session_id: string;
  revoked: boolean;
  expires_at: Date | string | null;
  session_archived: boolean;
  environment_id: string;
  environment_config: unknown;
  vault_id: string | null;
  vault_kind: string | null;
  vault_metadata: unknown;
  credential_id: string | null;
  auth_type: string | null;
  auth_public: unknown;
  mcp_server_url: string | null;
  secret_ciphertext: Uint8Array | null;
  secret_key_id: string | null;
  endpoint_origin: string | null;
}

export type EgressLookup = (placeholderHash: string) => Promise<EgressRow[]>;

/** Reads the egress rows for a placeholder, remembered as the boundary's are (see rememberedReads). */
export function createEgressLookup(database: { preparedQuery: PreparedQuery; rememberedRows: RememberedRowsCoherence | null }): Promise<EgressLookup> {
  const read: EgressLookup = (placeholderHash) => database.preparedQuery<EgressRow>(EGRESS_LOOKUP, [placeholderHash]);
  return rememberedReads(database.rememberedRows, read, (rows) => rows.length > 0);
}

/** What the rows say about vaults, secrets left out: the plan's input. */
function vaultsOf(rows: EgressRow[]): PlannedVault[] {
  const vaults = new Map<string, PlannedVault>();
  for (const row of rows) {
    if (!row.vault_id) continue;
    let vault = vaults.get(row.vault_id);
    if (!vault) {
      const kind = row.vault_kind === "llm" || row.vault_kind === "credential" ? row.vault_kind : null;
      vault = { id: row.vault_id, kind, metadata: row.vault_metadata, credentials: [] };
      vaults.set(row.vault_id, vault);
    }
    if (row.credential_id && row.auth_type) {
      vault.credentials.push({
        id: row.credential_id,
        authType: row.auth_type as PlannedVault["credentials"][number]["authType"],
        mcpServerUrl: row.mcp_server_url,
        authPublic: row.auth_public,
        endpointOrigin: row.endpoint_origin,
      });
    }
  }
  return [...vaults.values()];
}

/** An expired mcp_oauth token is refreshed first; the caller supplies how (lib/server/mcp-oauth-refresh.ts). */
export type McpTokenRefresher = (credentialId: string) => Promise<{ token: string } | { problem: string; status: number }>;

/** Tokens this close to their expiry are refreshed before use. */
const EXPIRY_MARGIN_MS = 60_000;

interface GrantDependencies {
  lookup: EgressLookup;
  /** Opens a credential's sealed secret (lib/server/credential-secrets.ts; the master key stays there). */
  openSecret: OpenSecret;
  privateEndpoints: PrivateEndpoints;
  refreshMcpToken: McpTokenRefresher;
}

/** Opens one sealed secret; a failure (a key not loaded here) refuses the request instead of failing the proxy. */
function opener(rows: EgressRow[], openSecret: OpenSecret): (credentialId: string) => string {
  return (credentialId) => {
    const row = rows.find((each) => each.credential_id === credentialId);
    if (!row?.secret_ciphertext || !row.secret_key_id) throw new ConsoleError("conflict_error", `Credential ${credentialId} holds no secret`);
    return openSecret({ id: credentialId, secretKeyId: row.secret_key_id }, row.secret_ciphertext);
  };
}

function refusalOf(error: unknown, label: string): OpenedRoute {
  return { ok: false, problem: error instanceof ConsoleError ? error.message : `The secret of ${label} could not be opened` };
}

const NOTHING = { headers: {}, replacements: [], secrets: [] };

function routeWithOpen(route: PlannedRoute, rows: EgressRow[], placeholder: string, dependencies: GrantDependencies): EgressRoute {
  const open = opener(rows, dependencies.openSecret);
  const source = route.source;
  const opened = async (): Promise<OpenedRoute> => {
    if (route.problem) return { ok: false, problem: route.problem };
    switch (source.kind) {
      case "llm": {
        if (!source.credentialId) return { ok: false, problem: `LLM vault ${source.vaultId} holds no active token` };
        const token = open(source.credentialId);
        return { ok: true, headers: { "x-api-key": token, authorization: `Bearer ${token}` }, replacements: [], secrets: [token] };
      }
      case "http_headers": {
        const token = source.tokenCredentialId ? open(source.tokenCredentialId) : null;
        if (token === null && Object.values(source.templates).some((template) => /\{\{\s*token\s*\}\}/.test(template))) {
          // Fail-open (fail-closed was refused above): the request goes on without these headers.
          return { ok: true, ...NOTHING };
        }
        const headers = Object.fromEntries(Object.entries(source.templates).map(([name, template]) => [name, renderTemplate(template, token ?? "")]));
        return { ok: true, headers, replacements: [], secrets: [...(token ? [token] : []), ...Object.values(headers)] };
      }
      case "mcp": {
        const row = rows.find((each) => each.credential_id === source.credentialId);
        let token: string;
        if (source.authType === "mcp_oauth") {
          const auth = mcpOauthPublicSchema.safeParse(row?.auth_public);
          const expiresAt = auth.success && auth.data.expires_at ? Date.parse(auth.data.expires_at) : null;
          if (expiresAt !== null && expiresAt - EXPIRY_MARGIN_MS <= Date.now()) {
            const refreshed = await dependencies.refreshMcpToken(source.credentialId);
            if ("problem" in refreshed) return { ok: false, problem: refreshed.problem, status: refreshed.status };
            token = refreshed.token;
          } else token = open(source.credentialId);
        } else token = open(source.credentialId);
        return { ok: true, headers: { authorization: `Bearer ${token}` }, replacements: [], secrets: [token] };
      }
      case "environment_variable": {
        const value = open(source.credentialId);
        return {
          ok: true,
          headers: {},
          replacements: [{ placeholder: variablePlaceholder(placeholder, source.credentialId), value, inHeaders: source.inHeaders, inBody: source.inBody }],
          secrets: [value],
        };
      }
    }
  };
  const { source: _source, problem: _problem, ...shape } = route;
  return { ...shape, open: () => opened().catch((error: unknown) => refusalOf(error, route.label)) };
}

/** The proxy's `authenticate`: the grant of a live placeholder of this session, or null. */
export function egressGrantResolver(dependencies: GrantDependencies): (sessionId: string, placeholder: string) => Promise<EgressGrant | null> {
  const plans = new WeakMap<EgressRow[], EgressPlan>();
  return async (sessionId, placeholder) => {
    if (!PLACEHOLDER_PATTERN.test(placeholder)) return null;
    const rows = await dependencies.lookup(presentedPlaceholderHash(placeholder));
    const first = rows[0];
    if (!first || first.session_id !== sessionId || first.revoked || first.session_archived) return null;
    // Checked here rather than in the query: the embedded console remembers rows, and time passes.
    if (first.expires_at !== null && new Date(first.expires_at).getTime() <= Date.now()) return null;
    // Rows the embedded console remembers come back as the same array: planned once, not per request.
    let plan = plans.get(rows);
    if (!plan) {
      plan = planEgress({
        sessionId,
        environmentId: first.environment_id,
        environmentConfig: storedEnvironmentConfig(first.environment_config),
        vaults: vaultsOf(rows),
        privateEndpoints: dependencies.privateEndpoints,
      });
      plans.set(rows, plan);
    }
    return {
      sessionId,
      environmentId: plan.environmentId,
      allowedHosts: plan.allowedHosts,
      placeholder,
      routes: plan.routes.map((route) => routeWithOpen(route, rows, placeholder, dependencies)),
    };
  };
}
