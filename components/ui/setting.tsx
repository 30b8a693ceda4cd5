import type { ReactNode } from "react";

/** One labelled value in a resource page's settings list (a `<dl>`). */
export function Setting({ label, children, mono }: { label: string; children: ReactNode; mono?: boolean }) {
  return (
    <div className="grid content-start gap-1 border-b border-border py-2.5 last:border-b-0 sm:border-b-0">
      <dt className="text-xs text-fg-muted">{label}</dt>
      <dd className={mono ? "min-w-0 font-mono text-[13px] break-all" : "min-w-0 text-sm"}>{children}</dd>
    </div>
  );
}
