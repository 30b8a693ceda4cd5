"use client";

import Link from "next/link";
import { useState, type ReactNode } from "react";
import { Brand } from "@/components/brand";
import { CommandSearch, SearchButton } from "@/components/console/command-search";
import { ConsoleNav } from "@/components/console/console-nav";
import { MenuIcon } from "@/components/console/icons";
import { cn } from "@/lib/cn";

/** Sidebar on wide screens; a top bar with a menu button on narrow ones. */
export function ConsoleShell({ userMenu, children }: { userMenu: ReactNode; children: ReactNode }) {
  const [menuOpen, setMenuOpen] = useState(false);
  return (
    <div className="min-h-dvh md:grid md:grid-cols-[15rem_minmax(0,1fr)]">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-surface focus:px-3 focus:py-2 focus:shadow"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-30 flex h-13 items-center justify-between border-b border-border bg-sidebar/95 px-4 backdrop-blur md:hidden">
        <Link href="/vaults" aria-label="Credential console home">
          <Brand />
        </Link>
        <span className="flex items-center gap-1">
          <SearchButton compact />
          <button
            type="button"
            className="rounded-md p-2 text-fg-muted hover:bg-surface-2"
            aria-expanded={menuOpen}
            aria-controls="console-sidebar"
            onClick={() => setMenuOpen((open) => !open)}
          >
            <MenuIcon className="size-5" />
            <span className="sr-only">Menu</span>
          </button>
        </span>
      </header>
      <aside
        id="console-sidebar"
        className={cn(
          "z-20 flex-col border-r border-border bg-sidebar md:sticky md:top-0 md:flex md:h-dvh",
          menuOpen ? "fixed inset-x-0 top-13 bottom-0 flex" : "hidden",
        )}
      >
        <div className="hidden px-4 pt-4 pb-5 md:block">
          <Link href="/vaults" aria-label="Credential console home" className="inline-block rounded-md">
            <Brand />
          </Link>
        </div>
        <div className="hidden px-2.5 pb-3 md:block">
          <SearchButton />
        </div>
        <div className="flex-1 overflow-y-auto px-2.5 py-3 md:py-0">
          <ConsoleNav onNavigate={() => setMenuOpen(false)} />
        </div>
        <div className="border-t border-border p-2.5">{userMenu}</div>
      </aside>
      <CommandSearch />
      <main id="main" className="min-w-0 px-4 py-6 sm:px-6 lg:px-8 lg:py-8">
        <div className="mx-auto max-w-6xl">{children}</div>
      </main>
    </div>
  );
}
