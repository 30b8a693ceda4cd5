import Link from "next/link";
import { signOutAction } from "@/lib/actions/auth";
import { USER_ROLE_LABELS, type UserRoleValue } from "@/lib/validation/users";
import { KeyIcon, SignOutIcon } from "@/components/console/icons";
import { Badge } from "@/components/ui/badge";

export function UserMenu({ email, name, role }: { email: string; name: string | null; role: UserRoleValue }) {
  const initial = (name ?? email).trim().charAt(0).toUpperCase();
  return (
    <div className="flex items-center gap-2.5 rounded-lg border border-border bg-surface p-2" data-testid="user-menu">
      <span className="flex size-8 shrink-0 items-center justify-center rounded-full bg-surface-3 text-[13px] font-semibold text-fg-muted" aria-hidden="true">
        {initial}
      </span>
      <div className="min-w-0 flex-1">
        <p className="truncate text-[13px] font-medium" title={email}>
          {name ?? email}
        </p>
        <div className="mt-0.5 flex items-center gap-1.5">
          <Badge tone={role === "viewer" ? "neutral" : "accent"}>{USER_ROLE_LABELS[role]}</Badge>
          {name ? <span className="truncate text-xs text-fg-subtle">{email}</span> : null}
        </div>
      </div>
      <Link href="/account" className="rounded-md p-1.5 text-fg-subtle hover:bg-surface-2 hover:text-fg" aria-label="Account" title="Account and password">
        <KeyIcon className="size-4.5" />
      </Link>
      <form action={signOutAction}>
        <button type="submit" className="rounded-md p-1.5 text-fg-subtle hover:bg-surface-2 hover:text-fg" aria-label="Sign out" title="Sign out">
          <SignOutIcon className="size-4.5" />
        </button>
      </form>
    </div>
  );
}
