import { apiResource, endpoint } from "@/lib/api/route";
import { runKeyOf } from "@/lib/api/run-key";
import { postRuntimeEventsSchema } from "@/lib/runner/protocol";
import { recordRunEvents } from "@/lib/server/session-runs";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ runId: string }>({
  /** What the runner's agent did, recorded as the run's session events; the stored ones come back with their ids. */
  POST: endpoint("runtime", async ({ params, input, context }) => {
    const { events } = await input(postRuntimeEventsSchema);
    return { data: await recordRunEvents(params.runId, runKeyOf(context), events) };
  }),
});
