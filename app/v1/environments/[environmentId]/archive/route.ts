import { apiResource, write } from "@/lib/api/route";
import { archiveEnvironment } from "@/lib/server/environments";
import { serializeEnvironment } from "@/lib/validation/environments";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ environmentId: string }>({
  POST: write(async ({ params, context }) => serializeEnvironment(await archiveEnvironment(params.environmentId, context))),
});
