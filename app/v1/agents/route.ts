import { apiResource, listPage, read, write } from "@/lib/api/route";
import { serializeAgent } from "@/lib/serializers/agents";
import { createAgent, listAgents } from "@/lib/server/agents";
import { agentCreateSchema, agentListQuerySchema } from "@/lib/validation/agents";
import { createdAtRange, listOptions } from "@/lib/validation/pagination";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource({
  GET: read(async ({ query }) => {
    const filtered = query(agentListQuerySchema);
    return listPage(await listAgents(listOptions(filtered), createdAtRange(filtered), filtered.q || undefined), serializeAgent);
  }),
  POST: write(async ({ input, context }) => serializeAgent(await createAgent(await input(agentCreateSchema), context))),
});
