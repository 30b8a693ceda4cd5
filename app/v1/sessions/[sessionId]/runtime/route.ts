import { apiRoute, methodNotAllowed } from "@/lib/api/route";
import { publicOriginFrom } from "@/lib/http/public-origin";
import { serializeRuntimeSettings } from "@/lib/serializers/runtime";
import { issueRuntimeSettings } from "@/lib/server/boundary";

type Params = { sessionId: string };

/** Runtime keys only: the harness settings for a ready session (SPEC §7). */
export const POST = apiRoute<Params>("runtime", async ({ params, request, context }) => {
  // The origin the runtime's caller used reaches this console; Next's request.url may name another.
  const publicOrigin = publicOriginFrom(request.headers);
  return serializeRuntimeSettings(await issueRuntimeSettings(params.sessionId, publicOrigin, context));
});

export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
