/**
 * Drops a one-time intent (`?add=token`, `?edit=vault`) from the address once its dialog closes,
 * so a reload or a shared link does not open it again. Next's router keeps in step with
 * history.replaceState, and nothing is fetched.
 */
export function withoutSearchParam(name: string): void {
  const url = new URL(window.location.href);
  if (!url.searchParams.has(name)) return;
  url.searchParams.delete(name);
  window.history.replaceState(null, "", `${url.pathname}${url.search}${url.hash}`);
}
