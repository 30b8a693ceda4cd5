import { apiRoute, methodNotAllowed } from "@/lib/api/route";
import { serializeSession } from "@/lib/serializers/sessions";
import { deleteSession, getSession, updateSession } from "@/lib/server/sessions";
import { parseInput } from "@/lib/validation/parse";
import { sessionUpdateSchema } from "@/lib/validation/sessions";

type Params = { sessionId: string };

export const GET = apiRoute<Params>("read", async ({ params }) => serializeSession(await getSession(params.sessionId)));

export const POST = apiRoute<Params>("write", async ({ params, body, context }) => {
  const input = parseInput(sessionUpdateSchema, await body());
  return serializeSession(await updateSession(params.sessionId, input, context));
});

export const DELETE = apiRoute<Params>("write", async ({ params, context }) => {
  await deleteSession(params.sessionId, context);
  return { id: params.sessionId, type: "session_deleted" };
});

export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
