/** The error types of the Anthropic error envelope, and the HTTP status each one travels with. */
export const ERROR_STATUS = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  conflict_error: 409,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
} as const;

export type ErrorType = keyof typeof ERROR_STATUS;

/**
 * The one error type of the console. Services throw it; the REST layer maps it to the envelope and
 * server actions map it to form errors. `field` names the offending input field when there is one.
 */
/** Machine-readable extras, sent as the envelope's `error.details` (which the SDK exposes). */
export type ErrorDetails = { error_code: string } & Record<string, unknown>;

export class ConsoleError extends Error {
  readonly field: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly details: ErrorDetails | undefined;
  /** A status other than the type's own: 503 `api_error` when this process lacks a master key. */
  readonly statusOverride: number | undefined;

  constructor(
    readonly type: ErrorType,
    message: string,
    options: { field?: string; retryAfterSeconds?: number; details?: ErrorDetails; status?: number } = {},
  ) {
    super(message);
    this.name = "ConsoleError";
    this.field = options.field;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.details = options.details;
    this.statusOverride = options.status;
  }

  get status(): number {
    return this.statusOverride ?? ERROR_STATUS[this.type];
  }
}

/** 400 whose message starts with the field path, as SDK users read it: `metadata.x: …`. */
export function invalidField(field: string, message: string): ConsoleError {
  return new ConsoleError("invalid_request_error", `${field}: ${message}`, { field });
}

export function notFound(resource: string, id: string): ConsoleError {
  return new ConsoleError("not_found_error", `${resource} ${JSON.stringify(id)} was not found`);
}

export function conflict(message: string): ConsoleError {
  return new ConsoleError("conflict_error", message);
}
