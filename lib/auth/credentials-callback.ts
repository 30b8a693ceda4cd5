import "server-only";
import { CLIENT_ADDRESS_HEADER } from "@/lib/http/headers";
import { signInWaitSeconds } from "@/lib/server/sign-in";
import { emailSchema } from "@/lib/validation/users";

import type { NextRequest } from "next/server";

type Handler = (request: NextRequest) => Promise<Response>;

function isCredentialsCallback(request: Request): boolean {
  return request.method === "POST" && new URL(request.url).pathname.endsWith("/callback/credentials");
}

function refusedForRateLimit(response: Response): boolean {
  const location = response.headers.get("location");
  if (location === null) return false;
  try {
    return new URL(location, "http://console.invalid").searchParams.get("code") === "rate_limited";
  } catch {
    return false;
  }
}

/**
 * A sign-in posted straight to Auth.js (a script, or a browser without the sign-in page's script)
 * gets an HTTP answer; when the throttle refused it, that answer is 429 with `retry-after`
 * (SPEC §9) instead of Auth.js's redirect back to the sign-in page.
 */
export function withSignInRateLimitStatus(handler: Handler): Handler {
  return async (request) => {
    if (!isCredentialsCallback(request)) return handler(request);
    const form = await request
      .clone()
      .formData()
      .catch(() => null);
    const response = await handler(request);
    if (!refusedForRateLimit(response)) return response;
    const email = emailSchema.safeParse(form?.get("email"));
    const clientAddress = request.headers.get(CLIENT_ADDRESS_HEADER) ?? undefined;
    const seconds = (email.success ? await signInWaitSeconds(email.data, clientAddress) : null) ?? 1;
    return new Response(`Too many failed sign-ins. Try again in ${seconds} second${seconds === 1 ? "" : "s"}.\n`, {
      status: 429,
      headers: { "retry-after": String(seconds), "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
    });
  };
}
