import { apiResource, write } from "@/lib/api/route";
import { serializeSession } from "@/lib/serializers/sessions";
import { archiveSession } from "@/lib/server/sessions";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ sessionId: string }>({
  POST: write(async ({ params, context }) => serializeSession(await archiveSession(params.sessionId, context))),
});
