import { apiResource, listPage, read, write } from "@/lib/api/route";
import { serializeEnvironment } from "@/lib/serializers/environments";
import { createEnvironment, listEnvironments } from "@/lib/server/environments";
import { environmentCreateSchema } from "@/lib/validation/environments";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource({
  GET: read(async ({ listQuery }) => listPage(await listEnvironments(listQuery()), serializeEnvironment)),
  POST: write(async ({ input, context }) => serializeEnvironment(await createEnvironment(await input(environmentCreateSchema), context))),
});
