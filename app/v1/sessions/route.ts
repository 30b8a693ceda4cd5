import { apiResource, listPage, read, write } from "@/lib/api/route";
import { serializeSession } from "@/lib/serializers/sessions";
import { sessionRows } from "@/lib/server/console-rows";
import { createSession, listSessions } from "@/lib/server/sessions";
import { sessionCreateSchema, sessionListQuerySchema } from "@/lib/validation/sessions";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource({
  GET: read(async ({ query }) => {
    const parsed = query(sessionListQuerySchema);
    const page = await listSessions(parsed);
    if (parsed.include !== "console_row") return listPage(page, serializeSession);
    // The console's list rows: the same objects, each with its `console` field, in a fixed number of statements.
    return listPage({ ...page, items: await sessionRows(page.items) }, (row) => row);
  }),
  POST: write(async ({ input, context }) => serializeSession(await createSession(await input(sessionCreateSchema), context))),
});
