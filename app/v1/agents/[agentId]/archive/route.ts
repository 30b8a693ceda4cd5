import { apiResource, write } from "@/lib/api/route";
import { serializeAgent } from "@/lib/serializers/agents";
import { archiveAgent } from "@/lib/server/agents";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ agentId: string }>({
  POST: write(async ({ params, context }) => serializeAgent(await archiveAgent(params.agentId, context))),
});
