import { apiRoute, methodNotAllowed } from "@/lib/api/route";
import { serializeAgent } from "@/lib/serializers/agents";
import { getAgent, updateAgent } from "@/lib/server/agents";
import { agentUpdateSchema } from "@/lib/validation/agents";
import { parseInput } from "@/lib/validation/parse";

type Params = { agentId: string };

export const GET = apiRoute<Params>("read", async ({ params }) => serializeAgent(await getAgent(params.agentId)));

export const POST = apiRoute<Params>("write", async ({ params, body, context }) => {
  const input = parseInput(agentUpdateSchema, await body());
  return serializeAgent(await updateAgent(params.agentId, input, context));
});

export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
