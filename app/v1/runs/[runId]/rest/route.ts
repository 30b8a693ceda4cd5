import { apiResource, endpoint } from "@/lib/api/route";
import { runKeyOf } from "@/lib/api/run-key";
import { restRequestSchema } from "@/lib/runner/protocol";
import { restRun } from "@/lib/server/session-runs";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ runId: string }>({
  /** A runner that answered every message waits, still up, for the session's next one. */
  POST: endpoint("runtime", async ({ params, input, context }) => restRun(params.runId, runKeyOf(context), await input(restRequestSchema))),
});
