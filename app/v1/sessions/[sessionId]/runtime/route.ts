import { apiResource, endpoint } from "@/lib/api/route";
import { publicOriginFrom } from "@/lib/http/public-origin";
import { serializeRuntimeSettings } from "@/lib/serializers/runtime";
import { DEFAULT_CA_PATH, issueRuntimeSettings } from "@/lib/server/runtime-settings";
import { runtimeRequestSchema } from "@/lib/validation/runtime";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ sessionId: string }>({
  /** Runtime keys only: the harness settings for a ready session (SPEC §7), in boundary (default) or egress mode. */
  POST: endpoint("runtime", async ({ params, request, context, input }) => {
    const body = await input(runtimeRequestSchema);
    // The origin the runtime's caller used reaches this console; Next's request.url may name another.
    const publicOrigin = publicOriginFrom(request.headers);
    const mode = body.mode ?? "boundary";
    return serializeRuntimeSettings(await issueRuntimeSettings(params.sessionId, publicOrigin, context, { mode, caPath: body.ca_path ?? DEFAULT_CA_PATH }));
  }),
});
