import { apiResource, read, write } from "@/lib/api/route";
import { serializeAgent, serializeAgentVersion } from "@/lib/serializers/agents";
import { getAgent, getAgentVersion, updateAgent } from "@/lib/server/agents";
import { agentRetrieveQuerySchema, agentUpdateSchema } from "@/lib/validation/agents";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ agentId: string }>({
  GET: read(async ({ params, query }) => {
    const { version } = query(agentRetrieveQuerySchema);
    if (version === undefined) return serializeAgent(await getAgent(params.agentId));
    const { agent, stored } = await getAgentVersion(params.agentId, version);
    return serializeAgentVersion(agent, stored);
  }),
  POST: write(async ({ params, input, context }) => serializeAgent(await updateAgent(params.agentId, await input(agentUpdateSchema), context))),
});
