"use client";

import { useEffect, useRef, useState, type ComponentType, type ReactNode } from "react";
import type * as PopoverModuleExports from "@/components/sessions/search-picker-popover";
import { cn } from "@/lib/cn";
import { lazyModule } from "@/components/ui/lazy-module";

/** What a picker's search answers: the matching options, or the sentence to show instead. */
export type PickerSearch<T> = (query: string) => Promise<{ ok: true; options: T[] } | { ok: false; error: string }>;

export const TRIGGER =
  "flex min-h-8.5 w-full items-center gap-2 rounded-md border bg-surface px-2.5 py-1.5 text-left text-sm text-fg shadow-xs transition-colors " +
  "hover:border-border-strong focus-visible:border-accent focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-ring " +
  "disabled:cursor-not-allowed disabled:bg-surface-2 disabled:text-fg-muted";

export interface SearchPickerProps<T extends { id: string; name: string }> {
  /** The trigger's id: the field's <label htmlFor> names it, and the form focuses it on an error. */
  id: string;
  describedBy?: string;
  invalid?: boolean;
  disabled?: boolean;
  /** The search box's accessible name, e.g. "Search LLM vaults". */
  searchLabel: string;
  /** What the trigger shows. */
  triggerContent: ReactNode;
  /** The first page, listed before anything is typed. */
  initialOptions: T[];
  /** The current choices: listed first whenever they match, whatever page the server would put them on. */
  pinned: T[];
  search: PickerSearch<T>;
  isChosen: (option: T) => boolean;
  onChoose: (option: T) => void;
  /** One choice closes the list; a multi-select stays open for the next. */
  closeOnChoose: boolean;
  /** An extra first item (the LLM picker's "None"), shown while nothing is typed. */
  noneItem?: { label: ReactNode; chosen: boolean; onChoose: () => void };
  renderOption: (option: T, chosen: boolean) => ReactNode;
  /** Shown when nothing matches what was typed. */
  empty: ReactNode;
  /** Opens on mount with the search box focused (a deep link's ?focus=). */
  defaultOpen?: boolean;
  /** Set by the stand-in: the user opened it before the real picker had loaded. */
  openOnMount?: boolean;
}

type PopoverModule = typeof PopoverModuleExports;

const popoverModule = lazyModule<PopoverModule>(() => import("@/components/sessions/search-picker-popover"));
const loadPopover = popoverModule.load;

/** The keys that open a closed combobox (the popover's own trigger opens on the same). */
const OPENING_KEYS = new Set(["ArrowDown", "ArrowUp", "Enter", " "]);

/**
 * A searchable picker (search-picker-popover.tsx: a cmdk list in a Radix popover, asking the server
 * as you type). Until one is opened on the page, the button is a stand-in of the same look and
 * name, so cmdk and the popover are not part of the session form's first load; pointing at it or
 * focusing it starts loading them, and opening it (click, Enter, Space, an arrow, or `defaultOpen`)
 * opens the real picker as soon as it is there, with focus in its search box.
 */
export function SearchPicker<T extends { id: string; name: string }>(props: SearchPickerProps<T>) {
  const popover = popoverModule.useLoaded();
  const [opening, setOpening] = useState(false);
  /** Whether the stand-in had focus when the real picker replaced it (focus moves over with it). */
  const standInFocused = useRef(false);
  const { defaultOpen, id } = props;

  useEffect(() => {
    if (defaultOpen) void loadPopover();
  }, [defaultOpen]);
  useEffect(() => {
    // Opening focuses the search box (Radix); otherwise a focused stand-in hands focus to the real button.
    if (popover && standInFocused.current && !opening) document.getElementById(id)?.focus();
    standInFocused.current = false;
  }, [popover, opening, id]);

  if (popover) {
    const Popover = popover.default as ComponentType<SearchPickerProps<T>>;
    return <Popover {...props} openOnMount={opening} />;
  }

  function open() {
    setOpening(true);
    void loadPopover();
  }

  return (
    <button
      ref={(node) => {
        // Runs as React removes the stand-in, while it still holds focus (if it does).
        return () => {
          standInFocused.current = document.activeElement === node;
        };
      }}
      id={props.id}
      type="button"
      role="combobox"
      aria-haspopup="listbox"
      aria-expanded={false}
      aria-controls={`${props.id}-options`}
      aria-invalid={props.invalid || undefined}
      aria-describedby={props.describedBy}
      aria-busy={opening || undefined}
      disabled={props.disabled}
      onPointerEnter={() => void loadPopover()}
      onFocus={() => void loadPopover()}
      onClick={open}
      onKeyDown={(event) => {
        if (!OPENING_KEYS.has(event.key)) return;
        event.preventDefault();
        open();
      }}
      className={cn(TRIGGER, props.invalid ? "border-danger" : "border-border")}
    >
      <span className="min-w-0 flex-1">{props.triggerContent}</span>
      <span aria-hidden="true" className="text-fg-subtle">
        ▾
      </span>
    </button>
  );
}
