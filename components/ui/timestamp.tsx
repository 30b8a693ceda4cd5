"use client";

import { useSyncExternalStore } from "react";
import { formatDateTime, formatRelative } from "@/lib/format";

const TICK_MS = 30_000;

function subscribeToClock(onTick: () => void): () => void {
  const timer = setInterval(onTick, TICK_MS);
  return () => clearInterval(timer);
}

/** The clock, rounded to the tick, so every timestamp on a page re-renders together and rarely. */
function readClock(): number {
  return Math.floor(Date.now() / TICK_MS) * TICK_MS;
}

/**
 * The console's one way to show a moment: relative ("5 min ago") with the exact UTC time on hover
 * and for screen readers. The server renders the exact time, since it cannot know the reader's
 * clock; the browser switches to relative after hydration without a mismatch.
 */
export function Timestamp({ at, prefix, className }: { at: string | null | undefined; prefix?: string; className?: string }) {
  const now = useSyncExternalStore(subscribeToClock, readClock, () => null);
  if (!at) return <span className={className}>—</span>;
  const exact = formatDateTime(at);
  const shown = now === null ? exact : formatRelative(at, now);
  return (
    <time dateTime={at} title={exact} className={className}>
      {prefix ? `${prefix} ` : null}
      {shown}
    </time>
  );
}
