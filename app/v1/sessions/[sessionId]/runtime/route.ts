import { apiResource, endpoint } from "@/lib/api/route";
import { publicOriginFrom } from "@/lib/http/public-origin";
import { serializeRuntimeSettings } from "@/lib/serializers/runtime";
import { issueRuntimeSettings } from "@/lib/server/runtime-settings";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ sessionId: string }>({
  /** Runtime keys only: the harness settings for a ready session (SPEC §7). */
  POST: endpoint("runtime", async ({ params, request, context }) => {
    // The origin the runtime's caller used reaches this console; Next's request.url may name another.
    const publicOrigin = publicOriginFrom(request.headers);
    return serializeRuntimeSettings(await issueRuntimeSettings(params.sessionId, publicOrigin, context));
  }),
});
