import "server-only";
import { headers } from "next/headers";
import { publicOriginFrom } from "@/lib/http/public-origin";

/** This console's origin for the page being rendered (see publicOriginFrom): SDK snippets and the boundary URL. */
export async function consoleOrigin(): Promise<string> {
  return publicOriginFrom(await headers());
}
