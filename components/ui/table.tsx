import type { HTMLAttributes, ReactNode, TdHTMLAttributes, ThHTMLAttributes } from "react";
import { cn } from "@/lib/cn";

/** A dense data table in a bordered card that scrolls sideways on narrow screens. */
export function Table({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    // relative: visually hidden (absolutely positioned) header text must scroll with the table, not widen the page.
    <div className={cn("relative overflow-x-auto rounded-lg border border-border bg-surface shadow-xs", className)}>
      <table aria-label={label} className="w-full border-collapse text-left text-[13px]">
        {children}
      </table>
    </div>
  );
}

export function THead({ children }: { children: ReactNode }) {
  return <thead className="border-b border-border bg-surface-2/60 text-xs text-fg-muted">{children}</thead>;
}

export function TBody({ children }: { children: ReactNode }) {
  return <tbody className="divide-y divide-border">{children}</tbody>;
}

export function TR({ className, ...props }: HTMLAttributes<HTMLTableRowElement>) {
  return <tr className={cn("transition-colors hover:bg-surface-2/50", className)} {...props} />;
}

export function TH({ className, ...props }: ThHTMLAttributes<HTMLTableCellElement>) {
  return <th scope="col" className={cn("px-3 py-2 font-medium whitespace-nowrap", className)} {...props} />;
}

export function TD({ className, ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={cn("px-3 py-2.5 align-middle", className)} {...props} />;
}

/** A column's title in the header row, and the classes that hide it on narrow screens. */
export type Column = string | { title: string; className?: string };

/**
 * A table with its header row written once: each column's title, then (when `controls` names it)
 * a column whose title only screen readers hear, for the row's links or buttons.
 */
export function DataTable({
  label,
  columns,
  controls,
  controlsClassName,
  className,
  children,
}: {
  label: string;
  columns: Column[];
  controls?: string | null;
  controlsClassName?: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <Table label={label} className={className}>
      <THead>
        <tr>
          {columns.map((column) => {
            const { title, className: columnClassName } = typeof column === "string" ? { title: column, className: undefined } : column;
            return (
              <TH key={title} className={columnClassName}>
                {title}
              </TH>
            );
          })}
          {controls ? (
            <TH className={controlsClassName}>
              <span className="sr-only">{controls}</span>
            </TH>
          ) : null}
        </tr>
      </THead>
      <TBody>{children}</TBody>
    </Table>
  );
}
