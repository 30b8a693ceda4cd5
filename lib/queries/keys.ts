import type { QueryClient } from "@tanstack/react-query";

/**
 * The console's TanStack Query keys: one factory per resource, every key under its resource's
 * root, so a change invalidates every list and detail of what it touched at once. Lists and
 * fetchers live next to their resource (lib/queries/vaults.ts, sessions.ts); keys live here so
 * the `invalidateAfter…` helpers see them all.
 */
function resourceKeys<Root extends string>(root: Root) {
  const all = [root] as const;
  return {
    all,
    lists: () => [...all, "list"] as const,
    list: <Params>(params: Params) => [...all, "list", params] as const,
    details: () => [...all, "detail"] as const,
    detail: (id: string) => [...all, "detail", id] as const,
  };
}

export const queryKeys = {
  vaults: resourceKeys("vaults"),
  sessions: resourceKeys("sessions"),
  agents: resourceKeys("agents"),
  environments: resourceKeys("environments"),
  apiKeys: resourceKeys("api-keys"),
  users: resourceKeys("users"),
  audit: resourceKeys("audit"),
};

type Resource = keyof typeof queryKeys;

function invalidate(queryClient: QueryClient, resources: Resource[]): Promise<void> {
  return Promise.all(resources.map((resource) => queryClient.invalidateQueries({ queryKey: queryKeys[resource].all }))).then(() => undefined);
}

// What each change shows up in. Every change is audited, so the audit log goes stale with all of them.

/** A vault created, renamed, re-pointed, archived or deleted: vault rows, and the session rows naming it. */
export const invalidateAfterVaultChange = (queryClient: QueryClient) => invalidate(queryClient, ["vaults", "sessions", "audit"]);
/** A credential added, rotated, archived or deleted: its vault's token state and its sessions' readiness. */
export const invalidateAfterCredentialChange = (queryClient: QueryClient) => invalidate(queryClient, ["vaults", "sessions", "audit"]);
/** A session created, edited, archived or deleted: session rows, and the vaults' "used by" counts. */
export const invalidateAfterSessionChange = (queryClient: QueryClient) => invalidate(queryClient, ["sessions", "vaults", "audit"]);
/** An agent created, edited (a new version) or archived: agent rows and the session rows naming it. */
export const invalidateAfterAgentChange = (queryClient: QueryClient) => invalidate(queryClient, ["agents", "sessions", "audit"]);
/** An environment created, edited, archived or deleted: environment rows and the session rows naming it. */
export const invalidateAfterEnvironmentChange = (queryClient: QueryClient) => invalidate(queryClient, ["environments", "sessions", "audit"]);
/** An API key created or revoked. */
export const invalidateAfterApiKeyChange = (queryClient: QueryClient) => invalidate(queryClient, ["apiKeys", "audit"]);
/** A user created, re-roled or disabled (disabling revokes their keys). */
export const invalidateAfterUserChange = (queryClient: QueryClient) => invalidate(queryClient, ["users", "apiKeys", "audit"]);

/** For a form that does not know what its action changed: everything the console caches. */
export const invalidateAfterAnyChange = (queryClient: QueryClient) => invalidate(queryClient, Object.keys(queryKeys) as Resource[]);
