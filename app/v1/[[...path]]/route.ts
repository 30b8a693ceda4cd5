import { newId } from "@/lib/ids";
import { errorResponse } from "@/lib/api/respond";

/** Unknown /v1 paths answer in the API's own error envelope rather than with an HTML page. */
function unknownRoute(request: Request): Response {
  return errorResponse("not_found_error", `No route for ${request.method} ${new URL(request.url).pathname}`, newId("req"));
}

export const GET = unknownRoute;
export const POST = unknownRoute;
export const PUT = unknownRoute;
export const PATCH = unknownRoute;
export const DELETE = unknownRoute;
