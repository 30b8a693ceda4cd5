import { apiResource, deleted, read, write } from "@/lib/api/route";
import { serializeEnvironment } from "@/lib/serializers/environments";
import { deleteEnvironment, getEnvironment, updateEnvironment } from "@/lib/server/environments";
import { environmentUpdateSchema } from "@/lib/validation/environments";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ environmentId: string }>({
  GET: read(async ({ params }) => serializeEnvironment(await getEnvironment(params.environmentId))),
  POST: write(async ({ params, input, context }) =>
    serializeEnvironment(await updateEnvironment(params.environmentId, await input(environmentUpdateSchema), context)),
  ),
  DELETE: write(({ params, context }) => deleted("environment", params.environmentId, deleteEnvironment(params.environmentId, context))),
});
