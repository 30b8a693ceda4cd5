"use server";

import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { formAction, FormRefusal } from "@/lib/actions/action";
import { formErrorState, formText, type FormState } from "@/lib/forms/form-state";
import { SignInRefused, signIn, signOut } from "@/lib/auth/config";
import { sessionRefFromCookieHeader } from "@/lib/auth/request-session";
import { clientAddress } from "@/lib/auth/session";
import { newId } from "@/lib/ids";
import { safeRedirectPath } from "@/lib/redirect-target";
import { endBrowserSession } from "@/lib/server/browser-sessions";
import { setupFirstOwner } from "@/lib/server/users";
import { setupSchema, signInSchema } from "@/lib/validation/users";

export interface SignInState extends FormState {
  retryAfterSeconds?: number;
}

function describeWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/** Signs in, or throws the refusal to show (the wait when throttled). */
async function signInWithPassword(email: string, password: string): Promise<void> {
  const refused = await signInRefusal(email, password);
  if (refused) throw new FormRefusal(refused);
}

async function signInRefusal(email: string, password: string): Promise<SignInState | null> {
  try {
    await signIn("credentials", { email, password, redirect: false });
    return null;
  } catch (error) {
    if (error instanceof SignInRefused) {
      if (error.reason === "rate_limited") {
        const seconds = error.retryAfterSeconds ?? 60;
        const at = new Date(Date.now() + seconds * 1000).toISOString().slice(11, 16);
        const when = seconds < 60 ? describeWait(seconds) : `${describeWait(seconds)} (after ${at} UTC)`;
        return {
          ...formErrorState(`Too many failed sign-ins. Try again in ${when}.`),
          retryAfterSeconds: seconds,
        };
      }
      if (error.reason === "disabled") return formErrorState("This account is disabled. Ask an owner to enable it.");
      return formErrorState("That email and password do not match an account.");
    }
    if (error instanceof AuthError) return formErrorState("Sign-in failed. Try again.");
    throw error;
  }
}

export const signInAction = formAction(
  "public",
  signInSchema,
  (formData) => ({
    input: { email: formText(formData, "email"), password: formText(formData, "password") },
    next: formText(formData, "next"),
  }),
  (input) => signInWithPassword(input.email, input.password),
  // Only a path on this console (lib/redirect-target.ts): never another origin, never a 500. The
  // sign-in page passes `next` on as a path already, so no origin is needed to resolve it.
  { redirect: (_signedIn, { next }) => safeRedirectPath(next) },
);

/**
 * Ends this browser's session row first, then clears the cookie: a copy of the cookie taken before
 * sign-out is refused from the next request on. If the row cannot be ended, the action fails and the
 * cookie stays, rather than looking signed out while a copy still works. Other browsers stay signed in.
 */
export async function signOutAction(): Promise<void> {
  const ref = await sessionRefFromCookieHeader((await headers()).get("cookie") ?? "");
  if (ref) {
    await endBrowserSession(ref, {
      actor: { kind: "user", id: ref.userId },
      requestId: newId("req"),
      clientAddress: await clientAddress(),
    });
  }
  await signOut({ redirectTo: "/sign-in" });
}

/** The one-time setup page: the first owner, then straight into the console. */
export const setupAction = formAction(
  "public",
  setupSchema,
  (formData) => ({
    input: {
      name: formText(formData, "name"),
      email: formText(formData, "email"),
      password: formText(formData, "password"),
      password_confirmation: formText(formData, "password_confirmation"),
    },
  }),
  async (input, { context }) => {
    await setupFirstOwner(input, context);
    await signInWithPassword(input.email, input.password);
  },
  { redirect: "/vaults" },
);
