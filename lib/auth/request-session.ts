import { getToken } from "next-auth/jwt";
import type { User } from "@/lib/generated/prisma/client";
import { getRuntime } from "@/lib/runtime";
import { findActiveUser } from "@/lib/server/users";

const SESSION_COOKIE = "authjs.session-token";
const SECURE_SESSION_COOKIE = `__Secure-${SESSION_COOKIE}`;

function hasCookie(cookieHeader: string, name: string): boolean {
  return cookieHeader.split(";").some((part) => {
    const cookieName = part.trim().split("=")[0] ?? "";
    return cookieName === name || cookieName.startsWith(`${name}.`);
  });
}

/** True when the request carries an admin UI session cookie (valid or not). */
export function hasSessionCookie(request: Request): boolean {
  const cookieHeader = request.headers.get("cookie") ?? "";
  return hasCookie(cookieHeader, SESSION_COOKIE) || hasCookie(cookieHeader, SECURE_SESSION_COOKIE);
}

/**
 * A cookie is sent by the browser whoever asks, so it may stand for the user only when the console's
 * own pages asked: `Sec-Fetch-Site: same-origin`, or — for browsers that do not send fetch metadata —
 * an `Origin` equal to this server's. A request that proves neither never authenticates by cookie.
 */
export function isSameOriginRequest(request: Request): boolean {
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite !== null) return fetchSite === "same-origin";
  const origin = request.headers.get("origin");
  if (origin === null || origin === "null") return false;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  try {
    return host !== null && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** The active user a session cookie names, or null (no cookie, a bad or expired one, a disabled user). */
export async function userFromSessionCookie(request: Request): Promise<User | null> {
  const secret = getRuntime().authSecret;
  if (!secret) return null;
  const cookie = request.headers.get("cookie") ?? "";
  const secureCookie = hasCookie(cookie, SECURE_SESSION_COOKIE);
  // Only the cookie is handed over: getToken would otherwise also read an Authorization header.
  const token = await getToken({
    req: { headers: new Headers({ cookie }) },
    secret,
    secureCookie,
    logger: { error() {}, warn() {}, debug() {} },
  });
  return typeof token?.sub === "string" ? findActiveUser(token.sub) : null;
}
