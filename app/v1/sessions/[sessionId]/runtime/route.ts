import { apiRoute, methodNotAllowed } from "@/lib/api/route";
import { getRuntime } from "@/lib/runtime";
import { issueRuntimeSettings } from "@/lib/server/boundary";
import { serializeRuntimeSettings } from "@/lib/validation/runtime";

type Params = { sessionId: string };

/** Runtime keys only: the harness settings for a ready session (SPEC §7). */
export const POST = apiRoute<Params>("runtime", async ({ params, request, context }) => {
  // The origin the runtime's caller used reaches this console; Next's request.url may name another.
  const url = new URL(request.url);
  const host = request.headers.get("host");
  const publicOrigin = getRuntime().publicOrigin ?? (host ? `${url.protocol}//${host}` : url.origin);
  return serializeRuntimeSettings(await issueRuntimeSettings(params.sessionId, publicOrigin, context));
});

export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
