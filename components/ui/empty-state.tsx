import type { ReactNode } from "react";
import { cn } from "@/lib/cn";

/** What an empty list shows: what the thing is, why you would want one, and how to make one. */
export function EmptyState({
  icon,
  title,
  children,
  actions,
  className,
}: {
  icon?: ReactNode;
  title: string;
  children?: ReactNode;
  actions?: ReactNode;
  className?: string;
}) {
  return (
    <div className={cn("rounded-lg border border-dashed border-border-strong bg-surface px-6 py-10 text-center", className)}>
      {icon ? <div className="mx-auto mb-3 flex size-10 items-center justify-center rounded-lg bg-accent-soft text-accent-soft-fg">{icon}</div> : null}
      <h2 className="text-[15px] font-semibold text-fg">{title}</h2>
      {children ? <div className="mx-auto mt-2 max-w-xl text-sm leading-relaxed text-fg-muted">{children}</div> : null}
      {actions ? <div className="mt-5 flex flex-wrap items-center justify-center gap-2">{actions}</div> : null}
    </div>
  );
}
