import { apiResource, endpoint } from "@/lib/api/route";
import { runKeyOf } from "@/lib/api/run-key";
import { inboxQuerySchema } from "@/lib/runner/protocol";
import { runInbox } from "@/lib/server/session-runs";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ runId: string }>({
  /** The runner's long-poll for the user events of its run (SPEC §7a). */
  GET: endpoint("runtime", async ({ params, query, context }) => runInbox(params.runId, runKeyOf(context), query(inboxQuerySchema))),
});
