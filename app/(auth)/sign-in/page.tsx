import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { Alert } from "@/components/ui/alert";
import { currentUser } from "@/lib/auth/session";
import { safeRedirectPath } from "@/lib/redirect-target";
import { hasAnyUser } from "@/lib/server/users";

export const metadata: Metadata = { title: "Sign in" };

const REFUSALS: Record<string, string> = {
  rate_limited: "Too many failed sign-ins. Wait a while before trying again.",
  disabled: "This account is disabled. Ask an owner to enable it.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[]; error?: string; code?: string }> }) {
  const { next, error, code } = await searchParams;
  // Already signed in: straight on, but only ever to a path of this console.
  if (await currentUser()) redirect(safeRedirectPath(next));
  // Set when a sign-in was posted straight to Auth.js (without this page's script).
  const refusal = error ? (REFUSALS[code ?? ""] ?? "That email and password do not match an account.") : null;
  const setupOpen = !(await hasAnyUser());
  return (
    <div className="rounded-xl border border-border bg-surface p-6 shadow-sm">
      <h1 className="text-lg font-semibold">Sign in</h1>
      <p className="mt-1 mb-5 text-sm text-fg-muted">Manage vaults, credentials and API keys.</p>
      {setupOpen ? (
        <Alert tone="info" title="No account exists yet" className="mb-4">
          Create the first owner on the{" "}
          <Link href="/setup" className="font-medium underline underline-offset-2">
            setup page
          </Link>
          , or start the console with ADMIN_EMAIL and ADMIN_PASSWORD.
        </Alert>
      ) : null}
      {refusal ? (
        <Alert tone="danger" className="mb-4">
          {refusal}
        </Alert>
      ) : null}
      <SignInForm next={safeRedirectPath(next, undefined, "") || undefined} />
    </div>
  );
}
