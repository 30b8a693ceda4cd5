import { apiResource, listPage, read, write } from "@/lib/api/route";
import { serializeSessionEvent } from "@/lib/serializers/session-events";
import { listSessionEvents, sendUserEvents } from "@/lib/server/session-events";
import { sendEventsSchema, sessionEventListQuerySchema } from "@/lib/validation/session-events";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ sessionId: string }>({
  GET: read(async ({ params, query }) => listPage(await listSessionEvents(params.sessionId, query(sessionEventListQuerySchema)), serializeSessionEvent)),
  POST: write(async ({ params, input, context }) => {
    const { events } = await input(sendEventsSchema);
    return { data: (await sendUserEvents(params.sessionId, events, context)).map(serializeSessionEvent) };
  }),
});
