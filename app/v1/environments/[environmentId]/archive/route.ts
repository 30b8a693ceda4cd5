import { apiResource, write } from "@/lib/api/route";
import { serializeEnvironment } from "@/lib/serializers/environments";
import { archiveEnvironment } from "@/lib/server/environments";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ environmentId: string }>({
  POST: write(async ({ params, context }) => serializeEnvironment(await archiveEnvironment(params.environmentId, context))),
});
