import { apiRoute, methodNotAllowed } from "@/lib/api/route";
import { serializeAgent } from "@/lib/serializers/agents";
import { createAgent, listAgents } from "@/lib/server/agents";
import { agentCreateSchema } from "@/lib/validation/agents";
import { parseInput } from "@/lib/validation/parse";

export const GET = apiRoute("read", async ({ listQuery }) => {
  const { items, nextPage } = await listAgents(listQuery());
  return { data: items.map(serializeAgent), next_page: nextPage };
});

export const POST = apiRoute("write", async ({ body, context }) => {
  const input = parseInput(agentCreateSchema, await body());
  return serializeAgent(await createAgent(input, context));
});

export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
