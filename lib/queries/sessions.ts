import { v1Get, type Page } from "@/lib/queries/v1";
import type { DiagnosticsObject } from "@/lib/serializers/diagnostics";
import type { EnvironmentObject } from "@/lib/serializers/environments";
import type { SessionObject } from "@/lib/serializers/sessions";
import type { VaultObject } from "@/lib/serializers/vaults";

export const SESSIONS_PAGE_SIZE = 20;

export interface SessionListParams {
  agentId: string;
  status: string;
  includeArchived: boolean;
  page: string | null;
}

/** Sessions page both ways. */
export interface SessionPage extends Page<SessionObject> {
  prev_page: string | null;
}

/** Query keys for sessions and what a session row looks up: one factory, so a change can invalidate them together. */
export const sessionKeys = {
  all: ["sessions"] as const,
  lists: () => [...sessionKeys.all, "list"] as const,
  list: (params: SessionListParams) => [...sessionKeys.lists(), params] as const,
  diagnostics: (sessionId: string) => [...sessionKeys.all, "diagnostics", sessionId] as const,
  environment: (environmentId: string) => ["environments", "detail", environmentId] as const,
  vault: (vaultId: string) => ["vaults", "detail", vaultId] as const,
};

export function sessionListPath(params: SessionListParams): string {
  const search = new URLSearchParams({ limit: String(SESSIONS_PAGE_SIZE) });
  if (params.agentId) search.set("agent_id", params.agentId);
  if (params.status) search.append("statuses[]", params.status);
  if (params.includeArchived) search.set("include_archived", "true");
  if (params.page) search.set("page", params.page);
  return `/v1/sessions?${search}`;
}

export function fetchSessions(params: SessionListParams, signal?: AbortSignal): Promise<SessionPage> {
  return v1Get<SessionPage>(sessionListPath(params), signal);
}

export function fetchDiagnostics(sessionId: string, signal?: AbortSignal): Promise<DiagnosticsObject> {
  return v1Get<DiagnosticsObject>(`/v1/sessions/${encodeURIComponent(sessionId)}/diagnostics`, signal);
}

export function fetchEnvironment(environmentId: string, signal?: AbortSignal): Promise<EnvironmentObject> {
  return v1Get<EnvironmentObject>(`/v1/environments/${encodeURIComponent(environmentId)}`, signal);
}

export function fetchVault(vaultId: string, signal?: AbortSignal): Promise<VaultObject> {
  return v1Get<VaultObject>(`/v1/vaults/${encodeURIComponent(vaultId)}`, signal);
}
