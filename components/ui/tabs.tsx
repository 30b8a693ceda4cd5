"use client";

import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { cn } from "@/lib/cn";

export interface TabItem {
  value: string;
  title: ReactNode;
  content: ReactNode;
}

/** Arrow keys wrap around; Home and End jump to the ends (WAI-ARIA tabs pattern). */
function nextIndex(key: string, index: number, count: number): number | null {
  if (key === "ArrowRight") return (index + 1) % count;
  if (key === "ArrowLeft") return (index - 1 + count) % count;
  if (key === "Home") return 0;
  if (key === "End") return count - 1;
  return null;
}

/**
 * Tabs in the WAI-ARIA pattern: one tab stop for the list (roving tabindex), arrow keys select
 * and focus the next tab, each panel is labelled by its tab and reachable with Tab. Written here
 * rather than taken from Radix: Radix's panel server-renders a style attribute, which the
 * console's CSP (style-src without 'unsafe-inline') refuses. Every panel is rendered; the
 * inactive ones are hidden.
 */
export function Tabs({ label, items, defaultValue, className }: { label: string; items: TabItem[]; defaultValue?: string; className?: string }) {
  const [selected, setSelected] = useState(defaultValue ?? items[0]?.value);
  const baseId = useId();
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const tabId = (value: string) => `${baseId}-tab-${value}`;
  const panelId = (value: string) => `${baseId}-panel-${value}`;

  function onKeyDown(event: KeyboardEvent<HTMLButtonElement>, index: number) {
    const target = nextIndex(event.key, index, items.length);
    const item = target === null ? undefined : items[target];
    if (target === null || !item) return;
    event.preventDefault();
    setSelected(item.value);
    tabRefs.current[target]?.focus();
  }

  return (
    <div className={className}>
      <div role="tablist" aria-label={label} className="flex gap-1 border-b border-border">
        {items.map((item, index) => {
          const active = item.value === selected;
          return (
            <button
              key={item.value}
              ref={(element) => {
                tabRefs.current[index] = element;
              }}
              type="button"
              role="tab"
              id={tabId(item.value)}
              aria-selected={active}
              aria-controls={panelId(item.value)}
              tabIndex={active ? 0 : -1}
              onClick={() => setSelected(item.value)}
              onKeyDown={(event) => onKeyDown(event, index)}
              className={cn(
                "-mb-px inline-flex h-8 items-center border-b-2 px-2.5 text-[13px] font-medium transition-colors",
                active ? "border-accent text-fg" : "border-transparent text-fg-muted hover:text-fg",
              )}
            >
              {item.title}
            </button>
          );
        })}
      </div>
      {items.map((item) => (
        <div
          key={item.value}
          role="tabpanel"
          id={panelId(item.value)}
          aria-labelledby={tabId(item.value)}
          tabIndex={0}
          hidden={item.value !== selected}
          className="pt-3"
        >
          {item.content}
        </div>
      ))}
    </div>
  );
}
