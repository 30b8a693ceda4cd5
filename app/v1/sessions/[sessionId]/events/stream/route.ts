import { sessionEventStream } from "@/lib/api/event-stream";
import { apiResource, read } from "@/lib/api/route";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ sessionId: string }>({
  GET: read(({ params, request, context }) => sessionEventStream(params.sessionId, request, context.requestId ?? "")),
});
