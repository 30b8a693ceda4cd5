import { apiResource, listPage, read, write } from "@/lib/api/route";
import { serializeEnvironment } from "@/lib/serializers/environments";
import { createEnvironment, listEnvironments } from "@/lib/server/environments";
import { environmentCreateSchema, environmentListQuerySchema } from "@/lib/validation/environments";
import { listOptions } from "@/lib/validation/pagination";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource({
  GET: read(async ({ query }) => {
    const filtered = query(environmentListQuerySchema);
    return listPage(await listEnvironments(listOptions(filtered), filtered.q || undefined), serializeEnvironment);
  }),
  POST: write(async ({ input, context }) => serializeEnvironment(await createEnvironment(await input(environmentCreateSchema), context))),
});
