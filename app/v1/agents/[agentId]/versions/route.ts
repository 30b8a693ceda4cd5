import { apiResource, listPage, read } from "@/lib/api/route";
import { serializeAgentVersion } from "@/lib/serializers/agents";
import { listAgentVersions } from "@/lib/server/agents";
import { agentVersionListQuerySchema } from "@/lib/validation/agents";
import { listOptions } from "@/lib/validation/pagination";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ agentId: string }>({
  GET: read(async ({ params, query }) => {
    const { agent, page } = await listAgentVersions(params.agentId, listOptions(query(agentVersionListQuerySchema)));
    return listPage(page, (stored) => serializeAgentVersion(agent, stored));
  }),
});
