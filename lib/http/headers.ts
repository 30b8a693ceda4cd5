export const BETA_HEADER = "anthropic-beta";
export const BETA_VERSION = "managed-agents-2026-04-01";
/** The client address, set by lib/http/incoming.ts (the socket peer, or through CONSOLE_TRUSTED_PROXIES) after dropping any value the client sent. */
export const CLIENT_ADDRESS_HEADER = "x-console-client-address";
/** Set by scripts/start.ts: the path and query the request was made for, so a sign-in can return there. */
export const REQUEST_URL_HEADER = "x-console-request-url";
/** Set by scripts/start.ts on every request (replacing any a client sent): the id its log line, its error envelope and its audit entry share. */
export const REQUEST_ID_HEADER = "x-console-request-id";
