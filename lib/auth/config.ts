import "server-only";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { CLIENT_ADDRESS_HEADER } from "@/lib/http/headers";
import { authSecretOrThrow } from "@/lib/auth/secret";
import { safeRedirectUrl } from "@/lib/redirect-target";
import { authSecret } from "@/lib/instances";
import { endBrowserSession, findSessionUser, startBrowserSession } from "@/lib/server/browser-sessions";
import { attemptSignIn } from "@/lib/server/sign-in";
import { validateInput } from "@/lib/validation/parse";
import { signInSchema } from "@/lib/validation/users";
import { log } from "@/lib/ops/logger";

export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

declare module "next-auth" {
  interface User {
    /** The browser_sessions row authorize() started; it becomes the cookie's `sid`. */
    sessionId?: string;
  }
}

/**
 * Why a sign-in was refused, carried from `authorize` to the sign-in action (Auth.js rethrows
 * CredentialsSignin subclasses unchanged to a server-side signIn()).
 */
export class SignInRefused extends CredentialsSignin {
  constructor(
    readonly reason: "invalid" | "disabled" | "rate_limited",
    readonly retryAfterSeconds?: number,
  ) {
    super();
    this.code = reason;
  }
}

/**
 * Auth.js logs a refused sign-in with its stack, and at debug level the request body (the password).
 * This logger keeps only the error's type: nothing a person typed ever reaches the log.
 */
const quietLogger: NonNullable<NextAuthConfig["logger"]> = {
  error(error) {
    if (error instanceof SignInRefused) return;
    log().error({ problem: error.name, ...("type" in error && typeof error.type === "string" ? { kind: error.type } : {}) }, "sign-in library error");
  },
  warn(code) {
    log().warn({ code }, "sign-in library warning");
  },
  debug() {},
};

function config(): NextAuthConfig {
  return {
    // Read lazily: the secret is loaded at boot (AUTH_SECRET, or the embedded data dir's auth.secret).
    secret: authSecretOrThrow(authSecret()),
    // The console serves on whatever HOST:PORT it was given (and may sit behind a proxy), so the
    // host a request arrived on is the one to build URLs for. AUTH_URL, when set, still wins.
    trustHost: true,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    logger: quietLogger,
    providers: [
      Credentials({
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(credentials, request) {
          const input = validateInput(signInSchema, { email: credentials.email, password: credentials.password });
          if (!input.ok) throw new SignInRefused("invalid");
          const clientAddress = request.headers.get(CLIENT_ADDRESS_HEADER) ?? undefined;
          const outcome = await attemptSignIn(input.data.email, input.data.password, clientAddress);
          if (!outcome.ok) throw new SignInRefused(outcome.reason, outcome.reason === "rate_limited" ? outcome.retryAfterSeconds : undefined);
          // Null when the user was disabled or the password changed since it was checked.
          const sessionId = await startBrowserSession(outcome.user.id, outcome.user.passwordHash, SESSION_MAX_AGE_SECONDS);
          if (!sessionId) throw new SignInRefused("invalid");
          // Only the ids go into the (encrypted) session token; the session row and the role are read
          // fresh on every request.
          return { id: outcome.user.id, email: outcome.user.email, name: outcome.user.name, sessionId };
        },
      }),
    ],
    callbacks: {
      // callbackUrl and redirectTo come from the request: only a path on this origin is followed.
      redirect({ url, baseUrl }) {
        return safeRedirectUrl(url, new URL(baseUrl).origin);
      },
      async jwt({ token, user }) {
        if (user?.id && user.sessionId) return { sub: user.id, sid: user.sessionId, email: token.email, name: token.name };
        // Only /api/auth/session gets here (the console reads cookies through lib/auth/request-session.ts):
        // a revoked session is not renewed there either, and its cookie is cleared.
        const live = typeof token.sub === "string" && typeof token.sid === "string" && (await findSessionUser({ userId: token.sub, sessionId: token.sid }));
        return live ? { sub: token.sub, sid: token.sid, email: token.email, name: token.name } : null;
      },
      session({ session, token }) {
        if (session.user && token.sub) session.user.id = token.sub;
        return session;
      },
    },
    events: {
      // Auth.js's own sign-out endpoint (POST /api/auth/signout) ends the session row too; the
      // console's sign-out action has already ended it by then, which makes this a no-op.
      async signOut(message) {
        const token = "token" in message ? message.token : null;
        if (typeof token?.sub === "string" && typeof token.sid === "string") {
          await endBrowserSession({ userId: token.sub, sessionId: token.sid }, { actor: { kind: "user", id: token.sub } });
        }
      },
    },
  };
}

export const { handlers, signIn, signOut } = NextAuth(() => config());
