import { settings } from "@/lib/env";

/**
 * This console's origin as its clients reach it: what the boundary URL in runtime settings, the
 * session page and the SDK snippets are built on. One rule for all of them:
 * CONSOLE_PUBLIC_URL when set, else the forwarded proto and host, else http and the Host header.
 * Forwarded headers reach Next only from a trusted proxy (CONSOLE_TRUSTED_PROXIES): the custom
 * server drops them from every other peer (lib/http/incoming.ts), so they are taken as they come.
 */
export function publicOriginFrom(requestHeaders: Pick<Headers, "get">): string {
  return originFrom(requestHeaders, settings().CONSOLE_PUBLIC_URL);
}

/** publicOriginFrom with CONSOLE_PUBLIC_URL's origin passed in. */
export function originFrom(requestHeaders: Pick<Headers, "get">, configured: string | undefined): string {
  if (configured) return configured;
  const forwardedProto = firstValue(requestHeaders.get("x-forwarded-proto"));
  const proto = forwardedProto === "https" || forwardedProto === "http" ? forwardedProto : "http";
  const host = [firstValue(requestHeaders.get("x-forwarded-host")), firstValue(requestHeaders.get("host"))].find(isHost) ?? "127.0.0.1:3000";
  return `${proto}://${host}`;
}

/** A proxy chain's headers list values comma-separated, the first from the outermost proxy. */
function firstValue(value: string | null): string | undefined {
  return value?.split(",")[0]?.trim().toLowerCase() || undefined;
}

/** A host or host:port, nothing that would turn the origin into a path, userinfo or another URL. */
function isHost(value: string | undefined): value is string {
  return value !== undefined && /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/.test(value);
}
