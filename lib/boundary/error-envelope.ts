import type { ServerResponse } from "node:http";
import { ConsoleError } from "@/lib/errors";
import { API_SECURITY_HEADERS } from "@/lib/http/security-headers";
import { log } from "@/lib/ops/logger";

/** What may be logged about an unexpected error: the runtime side holds no query that could quote a secret. */
export function describeForLog(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}\n${error.stack ?? ""}`;
  return `non-error thrown: ${typeof error}`;
}

/** Logs a failure that is not a refusal (a bug, a database gone) under the request's id. */
export function logUnexpected(requestId: string, error: unknown): void {
  log().error({ request_id: requestId, problem: describeForLog(error) }, "unexpected error at the credential boundary");
}

/**
 * Answers a front door's own refusal or failure in the API's error envelope, the request id (the
 * one its log line carries) in the body and in a header, as /v1 answers them (lib/api/respond.ts);
 * anything but a ConsoleError is a bug, logged and answered with a generic 500. The runtime side's answers are refusals or failures
 * that the same request will meet again until someone acts: `x-should-retry: false` tells the
 * runtime's SDK so (Claude Code retried a 401 eleven times over minutes without it), and each
 * message says what to do instead. The one exception is an endpoint that did not answer
 * (`transient`): that may pass, so the SDK's own back-off is left to decide.
 */
export function sendErrorEnvelope(response: ServerResponse, requestId: string, error: unknown, options: { transient?: boolean } = {}): void {
  let refusal: ConsoleError;
  if (error instanceof ConsoleError) refusal = error;
  else {
    logUnexpected(requestId, error);
    refusal = new ConsoleError("api_error", "Internal server error");
  }
  const envelope = refusal.details
    ? { type: refusal.type, message: refusal.message, details: refusal.details }
    : { type: refusal.type, message: refusal.message };
  const body = Buffer.from(JSON.stringify({ type: "error", error: envelope, request_id: requestId }));
  const named: Record<string, string> = { ...API_SECURITY_HEADERS, "content-type": "application/json", "request-id": requestId };
  if (refusal.retryAfterSeconds !== undefined) named["retry-after"] = String(refusal.retryAfterSeconds);
  // Sorted by name, as /v1's answers list them (web Headers iterate so).
  const sorted = Object.fromEntries(Object.entries(named).sort(([a], [b]) => (a < b ? -1 : 1)));
  response.writeHead(refusal.status, {
    ...sorted,
    "content-length": body.length,
    ...(options.transient ? {} : { "x-should-retry": "false" }),
  });
  response.end(body);
}
