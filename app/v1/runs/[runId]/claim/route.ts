import { apiResource, keyless } from "@/lib/api/route";
import { publicOriginFrom } from "@/lib/http/public-origin";
import { claimRequestSchema } from "@/lib/runner/protocol";
import { claimRun } from "@/lib/server/session-runs";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ runId: string }>({
  /** A worker takes a queued run: authenticated by the job's one-time claim token, so a worker holds no API key. */
  POST: keyless(async ({ params, input, request, context }) =>
    claimRun(params.runId, await input(claimRequestSchema), { publicOrigin: publicOriginFrom(request.headers), requestId: context.requestId }),
  ),
});
