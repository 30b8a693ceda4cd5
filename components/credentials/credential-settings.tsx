import type { CredentialObject } from "@/lib/serializers/credentials";
import { Timestamp } from "@/components/ui/timestamp";

/**
 * Every non-secret field of a credential, in a table cell: the MCP URL or variable name, and for
 * MCP OAuth its expiry and refresh settings, for a variable its hosts and where it is injected.
 */
export function CredentialSettings({ credential, unboundLabel }: { credential: CredentialObject; unboundLabel: string }) {
  const auth = credential.auth;
  const line = "block text-xs text-fg-muted";
  if (auth.type === "environment_variable") {
    const where = [auth.injection_location.header ? "headers" : null, auth.injection_location.body ? "body" : null].filter(Boolean).join(" and ");
    return (
      <span className="block min-w-0" data-testid="credential-settings">
        <span className="block truncate font-mono text-xs" title={auth.secret_name}>
          {auth.secret_name}
        </span>
        <span className={line}>
          {auth.networking.type === "limited" ? (
            <>
              Hosts: <span className="font-mono break-all">{auth.networking.allowed_hosts.join(", ")}</span>
            </>
          ) : (
            "Any host"
          )}
        </span>
        <span className={line}>Injected into {where}</span>
      </span>
    );
  }
  if (auth.type === "mcp_oauth") {
    return (
      <span className="block min-w-0" data-testid="credential-settings">
        <span className="block truncate font-mono text-xs" title={auth.mcp_server_url}>
          {auth.mcp_server_url}
        </span>
        <span className={line}>{auth.expires_at ? <Timestamp at={auth.expires_at} prefix="Expires" /> : "No expiry set"}</span>
        <span className={line}>
          {auth.refresh ? (
            <>
              Refresh: <span className="font-mono">{auth.refresh.client_id}</span> at <span className="font-mono break-all">{auth.refresh.token_endpoint}</span>{" "}
              ({auth.refresh.token_endpoint_auth.type})
              {auth.refresh.scope ? (
                <>
                  , scope <span className="font-mono">{auth.refresh.scope}</span>
                </>
              ) : null}
            </>
          ) : (
            "No refresh settings"
          )}
        </span>
      </span>
    );
  }
  return auth.mcp_server_url ? (
    <span className="block truncate font-mono text-xs text-fg-muted" title={auth.mcp_server_url} data-testid="credential-settings">
      {auth.mcp_server_url}
    </span>
  ) : (
    <span className="text-xs whitespace-nowrap text-fg-subtle">{unboundLabel}</span>
  );
}
