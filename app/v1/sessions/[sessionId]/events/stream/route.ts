import { sessionEventStream } from "@/lib/api/event-stream";
import { apiResource, read } from "@/lib/api/route";
import { sessionEventStreamQuerySchema } from "@/lib/validation/session-events";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ sessionId: string }>({
  GET: read(async ({ params, request, context, query }) => {
    query(sessionEventStreamQuerySchema);
    return sessionEventStream(params.sessionId, request, context.requestId ?? "");
  }),
});
