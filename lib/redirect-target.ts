/**
 * Where the console may send a browser after sign-in (or any redirect built from a request value):
 * a path on the console's own origin, and nothing else. An open redirect would hand a freshly
 * signed-in user to whoever wrote the link.
 *
 * The value is resolved as a URL against the console's origin, the way a browser would, and kept
 * only when it lands on that origin; what is returned is the resolved URL's path, query and
 * fragment, so the Location header can never name a host. Raw values with control characters or
 * backslashes are refused before parsing: URL parsers drop tabs and newlines and read `\` as `/`,
 * which is how `/\t/evil.example` becomes `//evil.example` in a browser.
 */

export const DEFAULT_SIGNED_IN_PATH = "/vaults";
/** Longer than any console URL; a longer value is someone's experiment. */
const MAX_TARGET_LENGTH = 2048;
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\\\u2028\u2029\s]/u;
const PLACEHOLDER_ORIGIN = "http://console.invalid";

export function safeRedirectPath(value: unknown, origin: string = PLACEHOLDER_ORIGIN, fallback: string = DEFAULT_SIGNED_IN_PATH): string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_TARGET_LENGTH) return fallback;
  if (UNSAFE_CHARACTERS.test(value)) return fallback;
  let base: URL;
  let resolved: URL;
  try {
    base = new URL(origin);
    resolved = new URL(value, base);
  } catch {
    return fallback;
  }
  if (resolved.origin !== base.origin || resolved.username !== "" || resolved.password !== "") return fallback;
  const path = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  // `/.//evil.example` resolves to the path `//evil.example`, which a browser reads as another host.
  if (!path.startsWith("/") || path.startsWith("//")) return fallback;
  return path;
}

/** The absolute form, for callers (Auth.js) that answer with a full URL. */
export function safeRedirectUrl(value: unknown, origin: string, fallback: string = DEFAULT_SIGNED_IN_PATH): string {
  return new URL(safeRedirectPath(value, origin, fallback), origin).href;
}

/**
 * The sign-in page for a signed-out visitor of `requestUrl` (the path and query the request was
 * for), so a deep link survives signing in. Next's own `_rsc` cache-buster is not part of it.
 */
export function signInPathFor(requestUrl: string | null | undefined): string {
  if (!requestUrl) return "/sign-in";
  const target = new URL(safeRedirectPath(requestUrl, PLACEHOLDER_ORIGIN, "/"), PLACEHOLDER_ORIGIN);
  target.searchParams.delete("_rsc");
  const path = `${target.pathname}${target.search}`;
  return path === "/" || path === DEFAULT_SIGNED_IN_PATH ? "/sign-in" : `/sign-in?next=${encodeURIComponent(path)}`;
}
