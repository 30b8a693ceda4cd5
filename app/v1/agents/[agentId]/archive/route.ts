import { apiResource, write } from "@/lib/api/route";
import { archiveAgent } from "@/lib/server/agents";
import { serializeAgent } from "@/lib/validation/agents";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ agentId: string }>({
  POST: write(async ({ params, context }) => serializeAgent(await archiveAgent(params.agentId, context))),
});
