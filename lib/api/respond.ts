import { ConsoleError, ERROR_STATUS, type ErrorDetails, type ErrorType } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { API_SECURITY_HEADERS } from "@/lib/http/security-headers";

export function jsonResponse(body: unknown, requestId: string, status = 200): Response {
  return Response.json(body, { status, headers: { ...API_SECURITY_HEADERS, "request-id": requestId } });
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
  return Response.json(
    { type: "error", error, request_id: requestId },
    { status: options.status ?? ERROR_STATUS[type], headers },
  );
}

/**
 * What may be logged about an unexpected error. Prisma's validation errors print the whole query,
 * arguments included (a token among them), so only their class and code are kept.
 */
export function describeForLog(error: unknown): string {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return `PrismaClientKnownRequestError ${error.code}`;
  if (error instanceof Prisma.PrismaClientValidationError) return "PrismaClientValidationError (query details withheld)";
  if (error instanceof Error) return `${error.name}: ${error.message}\n${error.stack ?? ""}`;
  return `non-error thrown: ${typeof error}`;
}

export function errorToResponse(error: unknown, requestId: string): Response {
  if (error instanceof ConsoleError) {
    return errorResponse(error.type, error.message, requestId, {
      status: error.status,
      retryAfterSeconds: error.retryAfterSeconds,
      details: error.details,
    });
  }
  console.error(`[${requestId}] unexpected error: ${describeForLog(error)}`);
  return errorResponse("api_error", "Internal server error", requestId);
}
