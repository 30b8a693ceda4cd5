import Link from "next/link";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { DataTable, TD, TR, columnClasses, type Column, type ColumnFrom } from "@/components/ui/table";
import { Timestamp } from "@/components/ui/timestamp";
import { ChevronRightIcon } from "@/components/console/icons";
import { cn } from "@/lib/cn";

/**
 * The cells every resource list shares: the name that links to the resource (its whole row, or
 * its whole card on a phone, is the link target) with its id and archived badge, and the chevron
 * column that says "open". Anything clickable inside a row sits above the row's link (`RowAction`).
 */
export function NameCell({
  href,
  id,
  archived,
  className = "max-w-72",
  children,
}: {
  href: string;
  id: string;
  archived: boolean;
  className?: string;
  children: ReactNode;
}) {
  return (
    <TD className={className}>
      <Link href={href} className="block truncate font-medium text-fg after:absolute after:inset-0 hover:underline">
        {children}
      </Link>
      <span className="flex items-center gap-1.5">
        <span className="truncate font-mono text-[11.5px] text-fg-subtle">{id}</span>
        {archived ? <Badge>Archived</Badge> : null}
      </span>
    </TD>
  );
}

export function OpenCell() {
  return (
    <TD className="w-8 text-fg-subtle max-sm:hidden!">
      <ChevronRightIcon className="size-4 transition-transform group-hover:translate-x-0.5" />
    </TD>
  );
}

/** A date column: relative time, exact UTC on hover; in the table from `from` up, always on phone cards. */
export function DateCell({ at, label = "Created", from = "lg" }: { at: string; label?: string; from?: ColumnFrom }) {
  return (
    <TD label={label} className={cn("text-xs whitespace-nowrap text-fg-muted", columnClasses({ from }))}>
      <Timestamp at={at} />
    </TD>
  );
}

/** Buttons or links inside a linked row: lifted above the row's link so they get the click. */
export function RowAction({ children }: { children: ReactNode }) {
  return <span className="relative z-10 inline-flex">{children}</span>;
}

/** A resource list's table: its columns, then the "open" column every row ends with. */
export function ResourceTable({ label, columns, busy, children }: { label: string; columns: Column[]; busy?: boolean; children: ReactNode }) {
  return (
    <DataTable label={label} columns={columns} controls="Open" controlsClassName="max-sm:hidden!" busy={busy}>
      {children}
    </DataTable>
  );
}

/** One resource's row: the whole row opens it; `children` are the cells between its name and the chevron. */
export function ResourceRow({
  children,
  testId,
  ...name
}: {
  href: string;
  id: string;
  archived: boolean;
  title: ReactNode;
  nameClassName?: string;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <TR className="group relative" data-testid={testId}>
      <NameCell href={name.href} id={name.id} archived={name.archived} className={name.nameClassName}>
        {name.title}
      </NameCell>
      {children}
      <OpenCell />
    </TR>
  );
}
