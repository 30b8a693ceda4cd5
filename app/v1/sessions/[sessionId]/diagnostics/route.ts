import { apiRoute, methodNotAllowed } from "@/lib/api/route";
import { serializeDiagnostics } from "@/lib/serializers/diagnostics";
import { getSessionDiagnostics } from "@/lib/server/session-diagnostics";

type Params = { sessionId: string };

/** A console extension: why would this session produce no LLM output, and how to fix it. */
export const GET = apiRoute<Params>("read", async ({ params }) => serializeDiagnostics(await getSessionDiagnostics(params.sessionId)));

export const POST = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
