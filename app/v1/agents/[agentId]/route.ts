import { apiResource, read, write } from "@/lib/api/route";
import { serializeAgent } from "@/lib/serializers/agents";
import { getAgent, updateAgent } from "@/lib/server/agents";
import { agentUpdateSchema } from "@/lib/validation/agents";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ agentId: string }>({
  GET: read(async ({ params }) => serializeAgent(await getAgent(params.agentId))),
  POST: write(async ({ params, input, context }) => serializeAgent(await updateAgent(params.agentId, await input(agentUpdateSchema), context))),
});
