import { ERROR_STATUS, type ErrorDetails, type ErrorType } from "@/lib/errors";
import { textResponse } from "@/lib/http/fetch-bridge";
import { API_SECURITY_HEADERS } from "@/lib/http/security-headers";
import { toConsoleError } from "@/lib/server/database-errors";
import { describeForLog } from "@/lib/server/error-log";
import { log } from "@/lib/ops/logger";

/** What Response.json sends, as a textResponse (lib/http/fetch-bridge.ts): written from its string. */
function json(body: unknown, status: number, headers: Record<string, string>): Response {
  return textResponse(JSON.stringify(body), { status, headers: { ...headers, "content-type": "application/json" } });
}

export function jsonResponse(body: unknown, requestId: string, status = 200): Response {
  return json(body, status, { ...API_SECURITY_HEADERS, "request-id": requestId });
}

/** The Anthropic error envelope, with the request id in the body and in a header. */
export function errorResponse(
  type: ErrorType,
  message: string,
  requestId: string,
  options: { status?: number; retryAfterSeconds?: number; details?: ErrorDetails } = {},
): Response {
  const headers: Record<string, string> = { ...API_SECURITY_HEADERS, "request-id": requestId };
  if (options.retryAfterSeconds !== undefined) headers["retry-after"] = String(options.retryAfterSeconds);
  const error = options.details ? { type, message, details: options.details } : { type, message };
  return json({ type: "error", error, request_id: requestId }, options.status ?? ERROR_STATUS[type], headers);
}

export function errorToResponse(error: unknown, requestId: string): Response {
  const refusal = toConsoleError(error);
  if (refusal) {
    return errorResponse(refusal.type, refusal.message, requestId, {
      status: refusal.status,
      retryAfterSeconds: refusal.retryAfterSeconds,
      details: refusal.details,
    });
  }
  log().error({ request_id: requestId, problem: describeForLog(error) }, "unexpected error");
  return errorResponse("api_error", "Internal server error", requestId);
}
