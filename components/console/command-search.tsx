"use client";

import { useEffect, useState } from "react";
import { cn } from "@/lib/cn";
import { lazyDialog } from "@/components/ui/lazy-dialog";
// Tracks where focus was before a dialog opens, so the lazily loaded dialog can give it back; it
// must listen from the first paint, not from when the dialog's module arrives.
import "@/components/ui/dialog-focus";

/** cmdk and the Radix dialog arrive with the first ⌘K or click, not with the page. */
const SearchDialog = lazyDialog(() => import("@/components/console/search-dialog").then((module) => module.default));
const loadSearchDialog = SearchDialog.preload;

const OPEN_EVENT = "console:open-search";

/**
 * Global search (⌘K / Ctrl+K, or a Search button): cmdk's list inside a Radix dialog, searching
 * on the server by name or exact id (lib/server/console-search.ts) as you type. The server
 * filters, so cmdk's own filter is off; arrows move, Enter opens, Escape closes and focus returns.
 * Rendered once per page; the buttons open it through a window event. The dialog's code loads on
 * the first open (or when the pointer or focus reaches a Search button, to be there by the click).
 */
export function CommandSearch() {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.key.toLowerCase() === "k" && (event.metaKey || event.ctrlKey) && !event.altKey && !event.shiftKey) {
        event.preventDefault();
        setOpen((current) => !current);
      }
    }
    function onOpen() {
      setOpen(true);
    }
    document.addEventListener("keydown", onKey);
    window.addEventListener(OPEN_EVENT, onOpen);
    return () => {
      document.removeEventListener("keydown", onKey);
      window.removeEventListener(OPEN_EVENT, onOpen);
    };
  }, []);
  return open ? <SearchDialog onClose={() => setOpen(false)} /> : null;
}

/** A button that opens the search: full width in the sidebar, an icon in the phone's top bar. */
export function SearchButton({ compact = false, className }: { compact?: boolean; className?: string }) {
  return (
    <button
      type="button"
      onClick={() => window.dispatchEvent(new Event(OPEN_EVENT))}
      onPointerEnter={() => void loadSearchDialog()}
      onFocus={() => void loadSearchDialog()}
      className={cn(
        compact
          ? "rounded-md p-2 text-fg-muted hover:bg-surface-2"
          : "flex w-full items-center gap-2 rounded-md border border-border bg-surface px-2.5 py-1.5 text-left text-sm text-fg-subtle hover:border-border-strong hover:text-fg",
        className,
      )}
      aria-keyshortcuts="Meta+K Control+K"
      aria-label={compact ? "Search" : undefined}
    >
      <svg viewBox="0 0 16 16" className={compact ? "size-5" : "size-4 shrink-0"} fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden="true">
        <circle cx="7" cy="7" r="4.5" />
        <path d="m10.5 10.5 3 3" strokeLinecap="round" />
      </svg>
      {compact ? null : (
        <>
          <span className="flex-1">Search</span>
          <kbd className="rounded border border-border px-1 font-sans text-[11px]" aria-hidden="true">
            ⌘K
          </kbd>
        </>
      )}
    </button>
  );
}
