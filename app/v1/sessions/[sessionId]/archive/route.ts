import { apiResource, write } from "@/lib/api/route";
import { archiveSession } from "@/lib/server/sessions";
import { serializeSession } from "@/lib/validation/sessions";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ sessionId: string }>({
  POST: write(async ({ params, context }) => serializeSession(await archiveSession(params.sessionId, context))),
});
