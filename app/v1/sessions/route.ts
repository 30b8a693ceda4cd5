import { apiResource, listPage, read, write } from "@/lib/api/route";
import { serializeSession } from "@/lib/serializers/sessions";
import { createSession, listSessions } from "@/lib/server/sessions";
import { sessionCreateSchema, sessionListQuerySchema } from "@/lib/validation/sessions";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource({
  GET: read(async ({ query }) => listPage(await listSessions(query(sessionListQuerySchema)), serializeSession)),
  POST: write(async ({ input, context }) => serializeSession(await createSession(await input(sessionCreateSchema), context))),
});
