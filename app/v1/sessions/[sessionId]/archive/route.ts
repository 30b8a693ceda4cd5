import { apiRoute, methodNotAllowed } from "@/lib/api/route";
import { serializeSession } from "@/lib/serializers/sessions";
import { archiveSession } from "@/lib/server/sessions";

type Params = { sessionId: string };

export const POST = apiRoute<Params>("write", async ({ params, context }) => serializeSession(await archiveSession(params.sessionId, context)));

export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
