export const BETA_HEADER = "anthropic-beta";
export const BETA_VERSION = "managed-agents-2026-04-01";
/** Set by scripts/start.ts from the socket, after dropping any value the client sent. */
export const CLIENT_ADDRESS_HEADER = "x-console-client-address";
/** Set by scripts/start.ts: the path and query the request was made for, so a sign-in can return there. */
export const REQUEST_URL_HEADER = "x-console-request-url";
