import type { HTMLAttributes, ReactNode, TdHTMLAttributes, ThHTMLAttributes } from "react";
import { cn } from "@/lib/cn";

/*
 * A dense data table in a bordered card. Below 640 px (Tailwind's `sm`) it stops being a grid:
 * each row becomes a card of its cells, each cell captioned by its column (`label`), so nothing
 * scrolls sideways and no column (status, readiness, the row's buttons) is out of reach. The
 * explicit ARIA roles keep the table's semantics when its parts are displayed as blocks.
 */

/** Where a column starts to show in the table; on phone cards every column shows unless `card: false`. */
export type ColumnFrom = "md" | "lg" | "xl";

const HIDDEN_BELOW: Record<ColumnFrom, string> = {
  md: "sm:max-md:hidden",
  lg: "sm:max-lg:hidden",
  xl: "sm:max-xl:hidden",
};

/** The classes that place a column: hidden in the table below `from`, and off the phone card when `card` is false. */
export function columnClasses({ from, card = true }: { from?: ColumnFrom; card?: boolean }): string {
  return cn(from ? HIDDEN_BELOW[from] : null, card ? null : "max-sm:hidden!");
}

export function Table({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    // relative: visually hidden (absolutely positioned) header text must scroll with the table, not widen the page.
    <div
      className={cn(
        "relative rounded-lg border border-border bg-surface shadow-xs sm:overflow-x-auto max-sm:border-0 max-sm:bg-transparent max-sm:shadow-none",
        className,
      )}
    >
      <table role="table" aria-label={label} className="w-full border-collapse text-left text-[13px] max-sm:block">
        {children}
      </table>
    </div>
  );
}

export function THead({ children }: { children: ReactNode }) {
  return (
    <thead role="rowgroup" className="border-b border-border bg-surface-2/60 text-xs text-fg-muted max-sm:sr-only">
      {children}
    </thead>
  );
}

export function TBody({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <tbody role="rowgroup" className={cn("divide-y divide-border max-sm:block max-sm:space-y-2 max-sm:divide-y-0", className)}>
      {children}
    </tbody>
  );
}

export function TR({ className, ...props }: HTMLAttributes<HTMLTableRowElement>) {
  return <tr role="row" className={cn("ui-tr", className)} {...props} />;
}

export function TH({ className, ...props }: ThHTMLAttributes<HTMLTableCellElement>) {
  return <th role="columnheader" scope="col" className={cn("px-3 py-2 font-medium whitespace-nowrap", className)} {...props} />;
}

/**
 * A cell. `label` captions it on a phone card (the table's header row is not shown there); a cell
 * without one (the name, the row's buttons) takes the card's full width instead.
 */
export function TD({ className, label, ...props }: TdHTMLAttributes<HTMLTableCellElement> & { label?: string }) {
  return <td role="cell" data-label={label} className={cn(label ? "ui-td ui-td-captioned" : "ui-td ui-td-wide", className)} {...props} />;
}

/** Skeleton rows while a page loads: the table keeps its shape and nothing old is shown as new. */
export function SkeletonRows({ columns, rows = 5 }: { columns: number; rows?: number }) {
  return (
    <>
      {Array.from({ length: rows }, (_, row) => (
        <TR key={row} aria-hidden="true" data-testid="skeleton-row" className="hover:bg-transparent">
          {Array.from({ length: columns }, (_, column) => (
            <TD key={column} className={column === 0 ? undefined : "max-sm:basis-1/3"}>
              <span className={cn("block h-3.5 animate-pulse rounded bg-surface-2", column === 0 ? "w-40" : "w-20")} />
              {column === 0 ? <span className="mt-1.5 block h-2.5 w-28 animate-pulse rounded bg-surface-2" /> : null}
            </TD>
          ))}
        </TR>
      ))}
    </>
  );
}

/** A column's title in the header row, where it starts to show, and whether a phone card shows it. */
export type Column = string | { title: string; className?: string; from?: ColumnFrom; card?: boolean };

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
  busy,
  children,
}: {
  label: string;
  columns: Column[];
  controls?: string | null;
  controlsClassName?: string;
  className?: string;
  /** While a new page or filter loads: the old rows are dimmed and marked busy, not presented as the answer. */
  busy?: boolean;
  children: ReactNode;
}) {
  return (
    <Table label={label} className={className}>
      <THead>
        <tr role="row">
          {columns.map((column) => {
            const { title, className: columnClassName, from, card } = typeof column === "string" ? { title: column } : column;
            return (
              <TH key={title} className={cn(columnClasses({ from, card }), columnClassName)}>
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
      <TBody className={busy ? "opacity-50 transition-opacity" : undefined}>{children}</TBody>
    </Table>
  );
}
