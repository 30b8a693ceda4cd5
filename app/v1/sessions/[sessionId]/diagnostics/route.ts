import { apiResource, read } from "@/lib/api/route";
import { serializeDiagnostics } from "@/lib/serializers/diagnostics";
import { getSessionDiagnostics } from "@/lib/server/session-diagnostics";

export const { GET, POST, PUT, PATCH, DELETE } = apiResource<{ sessionId: string }>({
  /** A console extension: why would this session produce no LLM output, and how to fix it. */
  GET: read(async ({ params }) => serializeDiagnostics(await getSessionDiagnostics(params.sessionId))),
});
