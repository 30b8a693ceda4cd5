import { apiResource, endpoint } from "@/lib/api/route";
import { runKeyOf } from "@/lib/api/run-key";
import { finishRequestSchema } from "@/lib/runner/protocol";
import { finishRun } from "@/lib/server/session-runs";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ runId: string }>({
  /** The end of a runner's attempt: by the runner itself, or by its worker when the runner died. */
  POST: endpoint("runtime", async ({ params, input, context }) => finishRun(params.runId, runKeyOf(context), await input(finishRequestSchema))),
});
