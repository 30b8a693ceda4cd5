import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { CLIENT_ADDRESS_HEADER, REQUEST_URL_HEADER } from "@/lib/http/headers";
import { requestIdOf } from "@/lib/http/request-id";
import { actorLabel, noteRequestActor } from "@/lib/ops/request-actors";
import { sessionFromCookieHeader } from "@/lib/auth/request-session";
import { signInPathFor } from "@/lib/redirect-target";
import type { RequestContext } from "@/lib/server/audit";
import type { BrowserSessionRef, SessionUser } from "@/lib/server/browser-sessions";

/** The signed-in person as pages and actions see them: never a password hash. */
export type { SessionUser };

/**
 * The session cookie names a browser session row; that row and its user decide, once per request.
 * Sign-out, a password or role change and disabling the user take effect on the next request, not
 * when the cookie expires. The session id stays on the server: pages get only `currentUser`.
 */
export const currentSession = cache(async (): Promise<{ ref: BrowserSessionRef; user: SessionUser } | null> => {
  return sessionFromCookieHeader((await headers()).get("cookie") ?? "");
});

export const currentUser = cache(async (): Promise<SessionUser | null> => (await currentSession())?.user ?? null);

/** For every console page: no session, no page; after signing in, the visitor comes back here. */
export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(signInPathFor((await headers()).get(REQUEST_URL_HEADER)));
  return user;
}

export async function clientAddress(): Promise<string | undefined> {
  return (await headers()).get(CLIENT_ADDRESS_HEADER) ?? undefined;
}

/** The id the server gave this request (lib/http/request-id.ts): its audit entry and log line share it. */
export async function requestId(): Promise<string> {
  return requestIdOf(await headers());
}

/**
 * The audit context of a server action: the user as actor, the client address as
 * lib/http/incoming.ts found it. The actor is noted for the request's log line too.
 */
export async function userContext(user: SessionUser): Promise<RequestContext> {
  const id = await requestId();
  const actor = { kind: "user", id: user.id } as const;
  noteRequestActor(id, actorLabel(actor));
  return { actor, requestId: id, clientAddress: await clientAddress() };
}
