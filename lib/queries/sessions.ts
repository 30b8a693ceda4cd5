import { oneOfParam, textParam } from "@/lib/queries/address-state";
import { queryKeys } from "@/lib/queries/keys";
import { listPagingAddress } from "@/lib/queries/list-state";
import { v1Get, type Page } from "@/lib/queries/v1";
import type { SessionRow } from "@/lib/serializers/console-rows";
import { SESSION_STATUSES } from "@/lib/validation/limits";

export const SESSIONS_PAGE_SIZE = 20;

/** The session list's address: `?agent=…&status=idle&archived=1&page=<cursor>&n=2`. */
export const sessionListAddress = {
  agent: textParam,
  status: oneOfParam(SESSION_STATUSES),
  ...listPagingAddress,
};

export interface SessionListParams {
  agentId: string;
  status: string;
  includeArchived: boolean;
  page: string | null;
}

/** Sessions page both ways. */
export interface SessionPage extends Page<SessionRow> {
  prev_page: string | null;
}

/** Query keys for sessions (the console's one factory, lib/queries/keys.ts). */
export const sessionKeys = {
  ...queryKeys.sessions,
  list: (params: SessionListParams) => queryKeys.sessions.list(params),
};

/** GET /v1/sessions with the console's row extension: agent, environment, LLM vault and readiness in the one request. */
export function sessionListPath(params: SessionListParams): string {
  const search = new URLSearchParams({ limit: String(SESSIONS_PAGE_SIZE), include: "console_row" });
  if (params.agentId) search.set("agent_id", params.agentId);
  if (params.status) search.append("statuses[]", params.status);
  if (params.includeArchived) search.set("include_archived", "true");
  if (params.page) search.set("page", params.page);
  return `/v1/sessions?${search}`;
}

export function fetchSessions(params: SessionListParams, signal?: AbortSignal): Promise<SessionPage> {
  return v1Get<SessionPage>(sessionListPath(params), signal);
}
