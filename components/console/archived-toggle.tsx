"use client";

import { usePathname, useRouter } from "next/navigation";
import { useId, useTransition } from "react";
import { Spinner } from "@/components/ui/spinner";

/** "Show archived" for lists rendered on the server: the choice lives in the address (?archived=1). */
export function ArchivedToggle({ checked }: { checked: boolean }) {
  const id = useId();
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();
  return (
    <label
      htmlFor={id}
      className="flex h-8.5 cursor-pointer items-center gap-2 rounded-md border border-border bg-surface px-2.5 text-[13px] text-fg-muted shadow-xs hover:border-border-strong"
    >
      <input
        id={id}
        type="checkbox"
        className="size-3.5 accent-(--accent)"
        checked={checked}
        onChange={(event) => {
          const next = event.target.checked;
          // A new history entry, so Back returns to the list as it was.
          startTransition(() => router.push(next ? `${pathname}?archived=1` : pathname));
        }}
      />
      Show archived
      {pending ? <Spinner /> : null}
    </label>
  );
}
