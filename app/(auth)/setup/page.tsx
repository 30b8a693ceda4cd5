import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SetupForm } from "@/components/auth/setup-form";
import { PASSWORD_MIN } from "@/lib/validation/users";
import { hasAnyUser } from "@/lib/server/users";

export const metadata: Metadata = { title: "Set up" };
// Whether a user exists is a question for the database at request time, never at build time.
export const dynamic = "force-dynamic";

/** Open only while the console has no user; the action re-checks under a lock. */
export default async function SetupPage() {
  if (await hasAnyUser()) redirect("/sign-in");
  return (
    <div className="rounded-xl border border-border bg-surface p-6 shadow-sm">
      <h1 className="text-lg font-semibold">Create the first owner</h1>
      <p className="mt-1 mb-5 text-sm text-fg-muted">This page works once: the account you create here owns the console and can invite everyone else.</p>
      <SetupForm passwordMin={PASSWORD_MIN} />
    </div>
  );
}
