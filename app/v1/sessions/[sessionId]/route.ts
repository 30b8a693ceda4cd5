import { apiResource, deleted, read, write } from "@/lib/api/route";
import { serializeSession } from "@/lib/serializers/sessions";
import { deleteSession, getSession, updateSession } from "@/lib/server/sessions";
import { sessionUpdateSchema } from "@/lib/validation/sessions";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ sessionId: string }>({
  GET: read(async ({ params }) => serializeSession(await getSession(params.sessionId))),
  POST: write(async ({ params, input, context }) => serializeSession(await updateSession(params.sessionId, await input(sessionUpdateSchema), context))),
  DELETE: write(({ params, context }) => deleted("session", params.sessionId, deleteSession(params.sessionId, context))),
});
