"use client";

import type * as RadixMenuModule from "@radix-ui/react-dropdown-menu";
import { createContext, useContext, useEffect, useRef, useState, type ComponentProps, type KeyboardEvent, type ReactNode, type RefObject } from "react";
import { cn } from "@/lib/cn";
import { lazyModule } from "@/components/ui/lazy-module";
import "@/components/ui/style-nonce";

/**
 * Menus on Radix DropdownMenu: arrow keys, typeahead, Escape and focus back on the trigger come
 * with it. A dialog opened from an item gets focus back to the trigger when it closes.
 *
 * Radix's menu (with its popper, focus scope and roving focus, ~20 KB gzip) is not part of a page's
 * first load: until it is needed the trigger is a plain button of the same look. Pointing at it or
 * focusing it starts loading the menu; the first press (pointer, Enter, Space or ArrowDown) that
 * arrives before the menu is there is replayed on the real trigger once it is, so the menu opens
 * exactly as Radix opens it (by keyboard, with focus on the first item).
 */
type RadixMenu = typeof RadixMenuModule;

/** Radix's menu, fetched when first wanted; null until then (and on the server). */
const radixMenu = lazyModule<RadixMenu>(() => import("@radix-ui/react-dropdown-menu"));
const loadRadixMenu = radixMenu.load;
const useRadixMenu = radixMenu.useLoaded;

/** How the first press reached the not-yet-loaded trigger, to replay it on the real one. */
type PendingPress = { kind: "pointer" } | { kind: "key"; key: string };

interface MenuState {
  radix: RadixMenu | null;
  trigger: RefObject<HTMLButtonElement | null>;
  /** Whether the stand-in had focus when the real trigger replaced it (focus moves over with it). */
  standInFocused: RefObject<boolean>;
  press: (press: PendingPress) => void;
}

const MenuContext = createContext<MenuState | null>(null);

function useMenu(): MenuState {
  const state = useContext(MenuContext);
  if (!state) throw new Error("Menu parts belong inside <Menu>");
  return state;
}

/** The keys Radix's trigger opens on. */
const OPENING_KEYS = new Set(["Enter", " ", "ArrowDown"]);

export function Menu({ children }: { children: ReactNode }) {
  const radix = useRadixMenu();
  const [open, setOpen] = useState(false);
  const pending = useRef<PendingPress | null>(null);
  const trigger = useRef<HTMLButtonElement | null>(null);
  const standInFocused = useRef(false);

  function press(next: PendingPress) {
    pending.current = next;
    void loadRadixMenu();
  }

  // The real trigger has replaced the stand-in: replay the press that asked for it. A key goes to
  // the trigger as a keydown (Radix's menu then knows it is used by keyboard and focuses the first
  // item); a pointer press simply opens it, as Radix does on pointerdown.
  useEffect(() => {
    const first = pending.current;
    const element = trigger.current;
    if (!radix || !element) return;
    if (standInFocused.current || first) element.focus();
    standInFocused.current = false;
    if (!first) return;
    pending.current = null;
    if (first.kind === "pointer") setOpen(true);
    else element.dispatchEvent(new globalThis.KeyboardEvent("keydown", { key: first.key, bubbles: true, cancelable: true }));
  }, [radix]);

  const state: MenuState = { radix, trigger, standInFocused, press };
  return (
    <MenuContext.Provider value={state}>
      {radix ? (
        <radix.Root open={open} onOpenChange={setOpen}>
          {children}
        </radix.Root>
      ) : (
        children
      )}
    </MenuContext.Provider>
  );
}

export function MenuTrigger({ onKeyDown, onPointerDown, onPointerEnter, onFocus, ...props }: ComponentProps<"button">) {
  const { radix, trigger, standInFocused, press } = useMenu();
  if (radix)
    return <radix.Trigger ref={trigger} onKeyDown={onKeyDown} onPointerDown={onPointerDown} onPointerEnter={onPointerEnter} onFocus={onFocus} {...props} />;
  return (
    <button
      ref={(node) => {
        trigger.current = node;
        // Runs as React removes the stand-in, while it still holds focus (if it does).
        return () => {
          standInFocused.current = document.activeElement === node;
        };
      }}
      type="button"
      aria-haspopup="menu"
      aria-expanded={false}
      data-state="closed"
      {...props}
      onPointerEnter={(event) => {
        onPointerEnter?.(event);
        void loadRadixMenu();
      }}
      onFocus={(event) => {
        onFocus?.(event);
        void loadRadixMenu();
      }}
      onPointerDown={(event) => {
        onPointerDown?.(event);
        if (event.button === 0 && !event.ctrlKey) press({ kind: "pointer" });
      }}
      onKeyDown={(event: KeyboardEvent<HTMLButtonElement>) => {
        onKeyDown?.(event);
        if (!OPENING_KEYS.has(event.key)) return;
        event.preventDefault();
        press({ kind: "key", key: event.key });
      }}
    />
  );
}

/** The open menu's parts: rendered only once Radix is loaded (the content is closed until then). */
function useLoadedRadix(): RadixMenu | null {
  return useMenu().radix;
}

export function MenuContent({ className, align = "end", sideOffset = 6, ...props }: ComponentProps<RadixMenu["Content"]>) {
  const radix = useLoadedRadix();
  if (!radix) return null;
  return (
    <radix.Portal>
      <radix.Content
        align={align}
        sideOffset={sideOffset}
        collisionPadding={8}
        className={cn("z-50 min-w-44 rounded-lg border border-border bg-surface p-1 text-sm text-fg shadow-lg focus:outline-none", className)}
        {...props}
      />
    </radix.Portal>
  );
}

export function MenuGroup(props: ComponentProps<RadixMenu["Group"]>) {
  const radix = useLoadedRadix();
  return radix ? <radix.Group {...props} /> : null;
}

export function MenuItem({ className, tone = "default", ...props }: ComponentProps<RadixMenu["Item"]> & { tone?: "default" | "danger" }) {
  const radix = useLoadedRadix();
  if (!radix) return null;
  return (
    <radix.Item
      className={cn(
        "flex cursor-default items-center gap-2 rounded-md px-2.5 py-1.5 outline-none select-none data-disabled:opacity-50",
        tone === "danger" ? "text-danger data-highlighted:bg-danger/10" : "data-highlighted:bg-surface-2",
        className,
      )}
      {...props}
    />
  );
}

export function MenuLabel({ className, ...props }: ComponentProps<RadixMenu["Label"]>) {
  const radix = useLoadedRadix();
  return radix ? <radix.Label className={cn("px-2.5 py-1.5 text-xs text-fg-subtle", className)} {...props} /> : null;
}

export function MenuSeparator({ className, ...props }: ComponentProps<RadixMenu["Separator"]>) {
  const radix = useLoadedRadix();
  return radix ? <radix.Separator className={cn("my-1 h-px bg-border", className)} {...props} /> : null;
}
