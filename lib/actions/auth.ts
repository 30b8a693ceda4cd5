"use server";

import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { errorToFormState } from "@/lib/actions/form-errors";
import { fieldErrorState, formErrorState, formText, type FormState } from "@/lib/actions/form-state";
import { SignInRefused, signIn, signOut } from "@/lib/auth/config";
import { sessionRefFromCookieHeader } from "@/lib/auth/request-session";
import { clientAddress } from "@/lib/auth/session";
import { newId } from "@/lib/ids";
import { safeRedirectPath } from "@/lib/redirect-target";
import { endBrowserSession } from "@/lib/server/browser-sessions";
import { setupFirstOwner } from "@/lib/server/users";
import { validateInput } from "@/lib/validation/parse";
import { setupSchema, signInSchema } from "@/lib/validation/users";

export interface SignInState extends FormState {
  retryAfterSeconds?: number;
}

function describeWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

async function signInWithPassword(email: string, password: string): Promise<SignInState | null> {
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

export async function signInAction(_previous: SignInState, formData: FormData): Promise<SignInState> {
  const input = validateInput(signInSchema, { email: formText(formData, "email"), password: formText(formData, "password") });
  if (!input.ok) return fieldErrorState(input.issues);
  const refused = await signInWithPassword(input.data.email, input.data.password);
  if (refused) return refused;
  // Only a path on this console (lib/redirect-target.ts): never another origin, never a 500. The
  // sign-in page passes `next` on as a path already, so no origin is needed to resolve it.
  redirect(safeRedirectPath(formText(formData, "next")));
}

/**
 * Ends this browser's session row first, then clears the cookie: a copy of the cookie taken before
 * sign-out is refused from the next request on. If the row cannot be ended, the action fails and the
 * cookie stays, rather than looking signed out while a copy still works. Other browsers stay signed in.
 */
export async function signOutAction(): Promise<void> {
  const ref = await sessionRefFromCookieHeader((await headers()).get("cookie") ?? "");
  if (ref) {
    await endBrowserSession(ref, { actor: { kind: "user", id: ref.userId }, requestId: newId("req"), clientAddress: await clientAddress() });
  }
  await signOut({ redirectTo: "/sign-in" });
}

/** The one-time setup page: the first owner, then straight into the console. */
export async function setupAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const input = validateInput(setupSchema, {
    name: formText(formData, "name"),
    email: formText(formData, "email"),
    password: formText(formData, "password"),
    password_confirmation: formText(formData, "password_confirmation"),
  });
  if (!input.ok) return fieldErrorState(input.issues);
  try {
    await setupFirstOwner(input.data, { requestId: newId("req"), clientAddress: await clientAddress() });
  } catch (error) {
    return errorToFormState(error);
  }
  const refused = await signInWithPassword(input.data.email, input.data.password);
  if (refused) return refused;
  redirect("/vaults");
}
