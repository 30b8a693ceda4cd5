import { apiResource, listPage, read, write } from "@/lib/api/route";
import { serializeAgent } from "@/lib/serializers/agents";
import { createAgent, listAgents } from "@/lib/server/agents";
import { agentCreateSchema } from "@/lib/validation/agents";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource({
  GET: read(async ({ listQuery }) => listPage(await listAgents(listQuery()), serializeAgent)),
  POST: write(async ({ input, context }) => serializeAgent(await createAgent(await input(agentCreateSchema), context))),
});
