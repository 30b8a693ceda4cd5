import Link from "next/link";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { DataTable, TD, TR, type Column } from "@/components/ui/table";
import { ChevronRightIcon } from "@/components/console/icons";
import { cn } from "@/lib/cn";

/**
 * The cells every resource list shares: the name that links to the resource (its whole row is the
 * link target) with its id and archived badge, and the chevron column that says "open".
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
    <TD className="w-8 text-fg-subtle">
      <ChevronRightIcon className="size-4 transition-transform group-hover:translate-x-0.5" />
    </TD>
  );
}

/** A date column that hides on narrow screens. */
export function DateCell({ at, from = "lg" }: { at: string; from?: "lg" | "xl" }) {
  return <TD className={cn("hidden text-xs whitespace-nowrap text-fg-muted", from === "lg" ? "lg:table-cell" : "xl:table-cell")}>{at}</TD>;
}

/** A resource list's table: its columns, then the "open" column every row ends with. */
export function ResourceTable({ label, columns, children }: { label: string; columns: Column[]; children: ReactNode }) {
  return (
    <DataTable label={label} columns={columns} controls="Open">
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
