import { queryKeys } from "@/lib/queries/keys";
import { namedListPath, type NamedListParams } from "@/lib/queries/list-state";
import { v1Get, type Page } from "@/lib/queries/v1";
import type { AgentObject } from "@/lib/serializers/agents";

export const AGENTS_PAGE_SIZE = 20;

/** Query keys for agents (the console's one factory, lib/queries/keys.ts). */
export const agentKeys = {
  ...queryKeys.agents,
  list: (params: NamedListParams) => queryKeys.agents.list(params),
};

/** GET /v1/agents: one request per page (an agent row needs nothing but the agent). */
export function fetchAgents(params: NamedListParams, signal?: AbortSignal): Promise<Page<AgentObject>> {
  return v1Get<Page<AgentObject>>(namedListPath("agents", params), signal);
}
