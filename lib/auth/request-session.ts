import { getToken } from "next-auth/jwt";
import { authSecret } from "@/lib/instances";
import { findSessionUser, type BrowserSessionRef, type SessionUser } from "@/lib/server/browser-sessions";

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

/**
 * The browser session a Cookie header names, from the signed and encrypted cookie alone (no
 * database read): sign-out uses it to know which session to end. Null for no cookie, a forged or
 * expired one, or one from before sessions were kept in the database (it carries no `sid`).
 */
export async function sessionRefFromCookieHeader(cookieHeader: string): Promise<BrowserSessionRef | null> {
  const secret = authSecret();
  if (!secret || cookieHeader === "") return null;
  // Only the cookie is handed over: getToken would otherwise also read an Authorization header.
  const token = await getToken({
    req: { headers: new Headers({ cookie: cookieHeader }) },
    secret,
    secureCookie: hasCookie(cookieHeader, SECURE_SESSION_COOKIE),
    logger: { error() {}, warn() {}, debug() {} },
  });
  return typeof token?.sub === "string" && typeof token.sid === "string" ? { userId: token.sub, sessionId: token.sid } : null;
}

/**
 * The signed-in user a Cookie header stands for, or null: the cookie must name a live session row
 * (not signed out, not revoked by a password or role change or by disabling the user) of an
 * enabled user. Pages, server actions and /v1 cookie calls all come through here.
 */
export async function sessionFromCookieHeader(cookieHeader: string): Promise<{ ref: BrowserSessionRef; user: SessionUser } | null> {
  const ref = await sessionRefFromCookieHeader(cookieHeader);
  const user = ref && (await findSessionUser(ref));
  return ref && user ? { ref, user } : null;
}

/** The user a /v1 call's session cookie stands for, or null (see sessionFromCookieHeader). */
export async function userFromSessionCookie(request: Request): Promise<SessionUser | null> {
  return (await sessionFromCookieHeader(request.headers.get("cookie") ?? ""))?.user ?? null;
}
