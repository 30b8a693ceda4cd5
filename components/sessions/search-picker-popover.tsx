"use client";

import * as Popover from "@radix-ui/react-popover";
import { Command } from "cmdk";
import { useEffect, useRef, useState } from "react";
import { cn } from "@/lib/cn";
import { PICKER_PAGE } from "@/lib/forms/session-form-types";
import { TRIGGER, type SearchPickerProps } from "@/components/sessions/search-picker";

/** Waits this long after the last keystroke before asking the server. */
const DEBOUNCE_MS = 200;

const ITEM =
  "flex cursor-pointer items-start gap-2 rounded px-2 py-1.5 text-sm outline-none data-[selected=true]:bg-surface-3 data-[disabled=true]:cursor-default";

function matchesLocally(option: { id: string; name: string }, query: string): boolean {
  const q = query.trim().toLowerCase();
  return q === "" || option.id.toLowerCase() === q || option.name.toLowerCase().includes(q);
}

/**
 * components/sessions/search-picker.tsx's picker once opened (its own module, so cmdk and the Radix
 * popover load with the first picker opened, not with the session form).
 * A searchable picker: a button that opens a cmdk list in a Radix popover. Typing asks the server
 * (debounced) for names containing the words or the exact id, so any of thousands is reachable; the
 * current choices stay on top. Arrow keys move, Enter chooses, Escape closes and focus returns to
 * the button.
 */
export default function SearchPickerPopover<T extends { id: string; name: string }>(props: SearchPickerProps<T>) {
  const { id, initialOptions, search } = props;
  const [open, setOpen] = useState(Boolean(props.defaultOpen || props.openOnMount));
  const [query, setQuery] = useState("");
  const [results, setResults] = useState<T[]>(initialOptions);
  const [status, setStatus] = useState<{ kind: "idle" | "loading" } | { kind: "error"; message: string }>({ kind: "idle" });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const ticket = useRef(0);
  const triggerRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const pending = timer;
    return () => clearTimeout(pending.current);
  }, []);
  useEffect(() => {
    // A deep link opens the list and scrolls the field into view; the popover focuses its search box.
    if (props.defaultOpen) triggerRef.current?.scrollIntoView({ block: "center" });
  }, [props.defaultOpen]);

  function onQueryChange(next: string) {
    setQuery(next);
    clearTimeout(timer.current);
    const mine = ++ticket.current;
    if (next.trim() === "") {
      setResults(initialOptions);
      setStatus({ kind: "idle" });
      return;
    }
    setStatus({ kind: "loading" });
    timer.current = setTimeout(() => {
      search(next.trim()).then(
        (answer) => {
          // Only the answer to the latest keystroke counts; earlier ones may arrive after it.
          if (mine !== ticket.current) return;
          if (answer.ok) {
            setResults(answer.options);
            setStatus({ kind: "idle" });
          } else setStatus({ kind: "error", message: answer.error });
        },
        () => {
          if (mine === ticket.current) setStatus({ kind: "error", message: "The search failed; check the connection and type again." });
        },
      );
    }, DEBOUNCE_MS);
  }

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) onQueryChange("");
  }

  function choose(option: T) {
    props.onChoose(option);
    if (props.closeOnChoose) onOpenChange(false);
  }

  const pinned = props.pinned.filter((option) => matchesLocally(option, query));
  const pinnedIds = new Set(pinned.map((option) => option.id));
  const rest = results.filter((option) => !pinnedIds.has(option.id));
  const showNone = props.noneItem && query.trim() === "";
  const popoverId = `${id}-options`;

  return (
    <Popover.Root open={open} onOpenChange={onOpenChange}>
      <Popover.Trigger asChild>
        <button
          ref={triggerRef}
          id={id}
          type="button"
          role="combobox"
          aria-haspopup="listbox"
          aria-expanded={open}
          aria-controls={popoverId}
          aria-invalid={props.invalid || undefined}
          aria-describedby={props.describedBy}
          disabled={props.disabled}
          onKeyDown={(event) => {
            // The arrow keys open a closed combobox, as in a native select.
            if ((event.key === "ArrowDown" || event.key === "ArrowUp") && !open) {
              event.preventDefault();
              setOpen(true);
            }
          }}
          className={cn(TRIGGER, props.invalid ? "border-danger" : "border-border")}
        >
          <span className="min-w-0 flex-1">{props.triggerContent}</span>
          <span aria-hidden="true" className="text-fg-subtle">
            ▾
          </span>
        </button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          id={popoverId}
          align="start"
          sideOffset={4}
          collisionPadding={8}
          className="z-50 w-(--radix-popover-trigger-width) min-w-72 overflow-hidden rounded-md border border-border bg-surface shadow-lg"
        >
          <Command shouldFilter={false} loop label={props.searchLabel}>
            <Command.Input
              value={query}
              onValueChange={onQueryChange}
              aria-label={props.searchLabel}
              placeholder="Type a name or paste an id…"
              className="h-9 w-full border-b border-border bg-transparent px-3 text-sm outline-none placeholder:text-fg-subtle"
            />
            <Command.List className="max-h-[min(22rem,var(--radix-popover-content-available-height))] overflow-y-auto p-1">
              {status.kind === "loading" ? <Command.Loading>{<p className="px-2 py-1.5 text-[12.5px] text-fg-muted">Searching…</p>}</Command.Loading> : null}
              {status.kind === "error" ? (
                <p role="alert" className="px-2 py-1.5 text-[12.5px] text-danger-soft-fg">
                  {status.message}
                </p>
              ) : null}
              {status.kind === "idle" ? <Command.Empty className="px-2 py-1.5 text-[12.5px] text-fg-muted">{props.empty}</Command.Empty> : null}
              {[...pinned, ...rest].map((option) => {
                const chosen = props.isChosen(option);
                return (
                  <Command.Item key={option.id} value={option.id} onSelect={() => choose(option)} aria-checked={chosen} className={ITEM}>
                    <span aria-hidden="true" className={cn("mt-0.5 w-3.5 shrink-0 text-accent", chosen ? "" : "invisible")}>
                      ✓
                    </span>
                    <span className="min-w-0 flex-1">{props.renderOption(option, chosen)}</span>
                  </Command.Item>
                );
              })}
              {showNone && props.noneItem ? (
                <Command.Item
                  value="__none__"
                  onSelect={() => {
                    props.noneItem?.onChoose();
                    if (props.closeOnChoose) onOpenChange(false);
                  }}
                  aria-checked={props.noneItem.chosen}
                  className={ITEM}
                >
                  <span aria-hidden="true" className={cn("mt-0.5 w-3.5 shrink-0 text-accent", props.noneItem.chosen ? "" : "invisible")}>
                    ✓
                  </span>
                  <span className="min-w-0 flex-1">{props.noneItem.label}</span>
                </Command.Item>
              ) : null}
            </Command.List>
            {query.trim() === "" && initialOptions.length >= PICKER_PAGE ? (
              <p className="border-t border-border px-3 py-1.5 text-[11.5px] text-fg-subtle">
                Showing {initialOptions.length}; type a name or id to search them all.
              </p>
            ) : null}
          </Command>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
