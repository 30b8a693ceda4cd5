import { apiRoute, methodNotAllowed } from "@/lib/api/route";
import { archiveSession } from "@/lib/server/sessions";
import { serializeSession } from "@/lib/validation/sessions";

type Params = { sessionId: string };

export const POST = apiRoute<Params>("write", async ({ params, context }) => serializeSession(await archiveSession(params.sessionId, context)));

export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
