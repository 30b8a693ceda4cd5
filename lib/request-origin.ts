import "server-only";
import { headers } from "next/headers";

/** This console's origin as the browser reached it: what SDK snippets and the boundary URL are built on. */
export async function consoleOrigin(): Promise<string> {
  const requestHeaders = await headers();
  const host = requestHeaders.get("x-forwarded-host") ?? requestHeaders.get("host") ?? "127.0.0.1:3000";
  const proto = requestHeaders.get("x-forwarded-proto") ?? "http";
  return `${proto}://${host}`;
}
