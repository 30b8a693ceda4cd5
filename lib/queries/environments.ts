import { queryKeys } from "@/lib/queries/keys";
import { namedListPath, type NamedListParams } from "@/lib/queries/list-state";
import { v1Get, type Page } from "@/lib/queries/v1";
import type { EnvironmentObject } from "@/lib/serializers/environments";

export const ENVIRONMENTS_PAGE_SIZE = 20;

/** Query keys for environments (the console's one factory, lib/queries/keys.ts). */
export const environmentKeys = {
  ...queryKeys.environments,
  list: (params: NamedListParams) => queryKeys.environments.list(params),
};

/** GET /v1/environments: one request per page (an environment row needs nothing but the environment). */
export function fetchEnvironments(params: NamedListParams, signal?: AbortSignal): Promise<Page<EnvironmentObject>> {
  return v1Get<Page<EnvironmentObject>>(namedListPath("environments", params), signal);
}
