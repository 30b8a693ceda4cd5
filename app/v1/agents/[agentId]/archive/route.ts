import { apiRoute, methodNotAllowed } from "@/lib/api/route";
import { serializeAgent } from "@/lib/serializers/agents";
import { archiveAgent } from "@/lib/server/agents";

type Params = { agentId: string };

export const POST = apiRoute<Params>("write", async ({ params, context }) => serializeAgent(await archiveAgent(params.agentId, context)));

export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
