import "server-only";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { CLIENT_ADDRESS_HEADER } from "@/lib/api/headers";
import { authSecretOrThrow } from "@/lib/auth/secret";
import { safeRedirectUrl } from "@/lib/redirect-target";
import { getRuntime } from "@/lib/runtime";
import { attemptSignIn } from "@/lib/server/sign-in";
import { validateInput } from "@/lib/validation/parse";
import { signInSchema } from "@/lib/validation/users";

export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

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
    console.error(`[auth] ${error.name}${"type" in error && typeof error.type === "string" ? ` (${error.type})` : ""}`);
  },
  warn(code) {
    console.warn(`[auth] warning ${code}`);
  },
  debug() {},
};

function config(): NextAuthConfig {
  return {
    // Read lazily: the secret is loaded at boot (AUTH_SECRET, or the embedded data dir's auth.secret).
    secret: authSecretOrThrow(getRuntime().authSecret),
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
          // Only the id goes into the (encrypted) session token; the role is read fresh on every request.
          return { id: outcome.user.id, email: outcome.user.email, name: outcome.user.name };
        },
      }),
    ],
    callbacks: {
      // callbackUrl and redirectTo come from the request: only a path on this origin is followed.
      redirect({ url, baseUrl }) {
        return safeRedirectUrl(url, new URL(baseUrl).origin);
      },
      jwt({ token, user }) {
        if (user?.id) token.sub = user.id;
        return { sub: token.sub, email: token.email, name: token.name };
      },
      session({ session, token }) {
        if (session.user && token.sub) session.user.id = token.sub;
        return session;
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => config());
