import { requestIdOf } from "@/lib/http/request-id";
import { eachMethod } from "@/lib/api/route";
import { errorResponse } from "@/lib/api/respond";

/** Unknown /v1 paths answer in the API's own error envelope rather than with an HTML page. */
function unknownRoute(request: Request): Response {
  return errorResponse("not_found_error", `No route for ${request.method} ${new URL(request.url).pathname}`, requestIdOf(request.headers));
}

export const { GET, POST, PUT, PATCH, DELETE } = eachMethod(() => unknownRoute);
