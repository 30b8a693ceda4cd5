import Link from "next/link";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { DataTable, TD, TR } from "@/components/ui/table";
import type { EgressReachObject, ReachCredentialKind } from "@/lib/serializers/egress-reach";
import type { EnvironmentConfig } from "@/lib/validation/environments";

const KIND_LABELS: Record<ReachCredentialKind, string> = {
  llm: "LLM token",
  http_headers: "Header template",
  mcp: "MCP token",
  environment_variable: "Environment variable",
};

/** What each kind puts on the wire, so the names column reads as a sentence. */
const NAMES_LABELS: Record<ReachCredentialKind, string> = {
  llm: "headers",
  http_headers: "headers",
  mcp: "auth",
  environment_variable: "variable",
};

function Mono({ children }: { children: ReactNode }) {
  return <code className="rounded bg-surface-3 px-1 py-0.5 font-mono text-[12px]">{children}</code>;
}

function HostList({ hosts }: { hosts: readonly string[] }) {
  return (
    <span className="flex flex-wrap gap-1">
      {hosts.map((host) => (
        <Mono key={host}>{host}</Mono>
      ))}
    </span>
  );
}

/**
 * Which hosts the session's runtime reaches through the egress proxy and which credential applies
 * to each (SPEC §7): the environment's networking first, then one row per route. Names and ids
 * only; the plan holds no secret.
 */
export function EgressReachTable({
  reach,
  networking,
  packageManagerHosts,
  environment,
  vaultNames,
  editHref,
}: {
  reach: EgressReachObject;
  networking: EnvironmentConfig["networking"];
  packageManagerHosts: readonly string[];
  environment: { id: string; name: string };
  vaultNames: Record<string, string>;
  /** The session's edit page when the viewer may attach vaults; null otherwise. */
  editHref: string | null;
}) {
  const environmentLink = (
    <Link href={`/environments/${environment.id}`} className="font-medium text-fg hover:underline">
      {environment.name}
    </Link>
  );
  return (
    <section aria-labelledby="egress-reach-title" className="space-y-2.5" data-testid="egress-reach">
      <h3 id="egress-reach-title" className="text-[13px] font-semibold">
        Reach
      </h3>
      <div className="space-y-1.5 text-[13px] text-fg-muted" data-testid="egress-networking">
        {networking.type === "unrestricted" ? (
          <p>
            Environment {environmentLink} has <span className="font-medium text-fg">unrestricted</span> networking: the proxy lets the runtime reach any host.
            Hosts below get a credential injected; every other host is tunnelled untouched.
          </p>
        ) : (
          <>
            <p>
              Environment {environmentLink} has <span className="font-medium text-fg">limited</span> networking: the proxy refuses (403) every host that is
              neither listed here nor a credential host below.
            </p>
            <p className="flex flex-wrap items-center gap-1.5">
              <span>Allowed hosts:</span>
              {networking.allowed_hosts.length > 0 ? <HostList hosts={networking.allowed_hosts} /> : <span className="text-fg-subtle">none</span>}
            </p>
            {networking.allow_package_managers ? (
              <p className="flex flex-wrap items-center gap-1.5">
                <span>Package registries (allow_package_managers):</span>
                <HostList hosts={packageManagerHosts} />
              </p>
            ) : null}
          </>
        )}
      </div>
      {reach.routes.length === 0 ? (
        <div className="rounded-md border border-dashed border-border-strong px-3 py-3 text-[13px] text-fg-muted" data-testid="egress-reach-empty">
          <p className="font-medium text-fg">No credential applies to any host yet, so the proxy injects nothing.</p>
          <p className="mt-1">
            Attach the LLM vault (its token goes to its base URL only), an HTTP header credential vault (its header templates go to its target domains), or a
            vault with MCP or environment-variable credentials.{" "}
            {editHref ? (
              <Link href={editHref} className="font-medium text-fg underline">
                Attach vaults
              </Link>
            ) : null}
          </p>
        </div>
      ) : (
        <DataTable label="Egress reach" columns={["Host", "At the proxy", "Credential", "Status"]}>
          {reach.routes.map((route, index) => (
            <TR key={`${route.host}-${route.credential.vault_id}-${route.credential.credential_id ?? ""}-${index}`} data-testid="egress-route">
              <TD className="align-top">
                <span className="font-mono text-[12.5px] break-all">{route.host === "*" ? "* (any host)" : route.host}</span>
                {route.scope ? <span className="block text-xs text-fg-muted">{route.scope}</span> : null}
              </TD>
              <TD className="align-top text-[12.5px]">
                {route.action === "inject" ? "TLS terminated, credential injected" : "Tunnelled untouched (tls_mode passthrough)"}
                {route.opens_host ? null : <span className="block text-xs text-fg-muted">Only where the environment allows the host</span>}
              </TD>
              <TD className="align-top">
                <span className="flex flex-wrap items-center gap-1.5">
                  <Badge tone="accent">{KIND_LABELS[route.credential.kind]}</Badge>
                  <Link href={`/vaults/${route.credential.vault_id}`} className="text-[12.5px] font-medium hover:underline">
                    {vaultNames[route.credential.vault_id] ?? route.credential.vault_id}
                  </Link>
                </span>
                <span className="mt-0.5 block text-xs text-fg-muted">
                  {route.credential.names.length > 0 ? (
                    <>
                      {NAMES_LABELS[route.credential.kind]} <span className="font-mono">{route.credential.names.join(", ")}</span>
                    </>
                  ) : null}
                  {route.credential.credential_id ? (
                    <span className="block font-mono text-[11.5px] text-fg-subtle">{route.credential.credential_id}</span>
                  ) : null}
                </span>
              </TD>
              <TD className="align-top text-[12.5px]">
                {route.problem ? (
                  <span className="text-danger-soft-fg">
                    <Badge tone="danger">Refused</Badge> <span className="mt-0.5 block">{route.problem}</span>
                  </span>
                ) : (
                  <Badge tone="success">Works</Badge>
                )}
              </TD>
            </TR>
          ))}
        </DataTable>
      )}
    </section>
  );
}
