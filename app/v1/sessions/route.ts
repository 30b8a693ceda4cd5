import { apiRoute, methodNotAllowed } from "@/lib/api/route";
import { serializeSession } from "@/lib/serializers/sessions";
import { createSession, listSessions } from "@/lib/server/sessions";
import { parseInput } from "@/lib/validation/parse";
import { sessionCreateSchema, sessionListQuerySchema } from "@/lib/validation/sessions";

export const GET = apiRoute("read", async ({ query }) => {
  const { items, nextPage, prevPage } = await listSessions(parseInput(sessionListQuerySchema, query, "query"));
  return { data: items.map(serializeSession), next_page: nextPage, prev_page: prevPage };
});

export const POST = apiRoute("write", async ({ body, context }) => {
  const input = parseInput(sessionCreateSchema, await body());
  return serializeSession(await createSession(input, context));
});

export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
