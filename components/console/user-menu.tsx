"use client";

import Link from "next/link";
import { useRef } from "react";
import { signOutAction } from "@/lib/actions/auth";
import { USER_ROLE_LABELS, type UserRoleValue } from "@/lib/validation/limits";
import { KeyIcon, SignOutIcon } from "@/components/console/icons";
import { Badge } from "@/components/ui/badge";
import { Menu, MenuContent, MenuItem, MenuLabel, MenuSeparator, MenuTrigger } from "@/components/ui/menu";

/**
 * Who is signed in, as the button of a menu holding Account and Sign out. The sign-out form sits
 * outside the menu, since the menu's content is gone the moment an item is chosen.
 */
export function UserMenu({ email, name, role }: { email: string; name: string | null; role: UserRoleValue }) {
  const initial = (name ?? email).trim().charAt(0).toUpperCase();
  const signOutForm = useRef<HTMLFormElement>(null);
  return (
    <>
      <Menu>
        <MenuTrigger
          className="flex w-full items-center gap-2.5 rounded-lg border border-border bg-surface p-2 text-left hover:bg-surface-2 data-[state=open]:bg-surface-2"
          aria-label={`Account menu: ${name ?? email}, ${USER_ROLE_LABELS[role]}`}
          data-testid="user-menu"
        >
          <span
            className="flex size-8 shrink-0 items-center justify-center rounded-full bg-surface-3 text-[13px] font-semibold text-fg-muted"
            aria-hidden="true"
          >
            {initial}
          </span>
          <span className="min-w-0 flex-1">
            <span className="block truncate text-[13px] font-medium">{name ?? email}</span>
            <span className="mt-0.5 flex items-center gap-1.5">
              <Badge tone={role === "viewer" ? "neutral" : "accent"}>{USER_ROLE_LABELS[role]}</Badge>
              {name ? <span className="truncate text-xs text-fg-subtle">{email}</span> : null}
            </span>
          </span>
          <svg viewBox="0 0 16 16" className="size-3.5 shrink-0 text-fg-subtle" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden="true">
            <path d="m4 10 4-4 4 4" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        </MenuTrigger>
        <MenuContent side="top" align="start" className="w-(--radix-dropdown-menu-trigger-width)">
          <MenuLabel className="truncate">{email}</MenuLabel>
          <MenuItem asChild>
            <Link href="/account">
              <KeyIcon className="size-4 text-fg-subtle" />
              Account and password
            </Link>
          </MenuItem>
          <MenuSeparator />
          <MenuItem onSelect={() => signOutForm.current?.requestSubmit()}>
            <SignOutIcon className="size-4 text-fg-subtle" />
            Sign out
          </MenuItem>
        </MenuContent>
      </Menu>
      <form ref={signOutForm} action={signOutAction} hidden />
    </>
  );
}
