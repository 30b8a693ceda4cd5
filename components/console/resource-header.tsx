import Link from "next/link";
import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { CopyButton } from "@/components/ui/copy-button";
import { PageHeader } from "@/components/ui/page-header";
import { DocsLink } from "@/components/console/docs-link";
import type { DocsSection } from "@/lib/docs-sections";
import { formatDateTime } from "@/lib/format";

/** A link by its target and words: `{ href: "/agents", label: "Agents" }`. */
export interface ResourceLink {
  href: string;
  label: string;
}

/** The way back from a resource page to its list, above the title. */
export function ListLink({ list }: { list: ResourceLink }) {
  return (
    <Link href={list.href} className="hover:text-fg hover:underline">
      {list.label}
    </Link>
  );
}

/** A resource page's header: the way back to its list, its name, its badges, its id to copy, its actions. */
export function ResourceHeader({
  list,
  title,
  id,
  archivedAt,
  badges,
  actions,
  docs,
}: {
  list: ResourceLink;
  title: ReactNode;
  id: string;
  archivedAt: string | null;
  badges?: ReactNode;
  actions?: ReactNode;
  /** The README section the header's Docs link opens. */
  docs: DocsSection;
}) {
  return (
    <PageHeader
      eyebrow={<ListLink list={list} />}
      title={title}
      description={
        <span className="flex flex-wrap items-center gap-2">
          {badges}
          {archivedAt ? <Badge tone="warning">Archived {formatDateTime(archivedAt)}</Badge> : null}
          <span className="font-mono text-xs">{id}</span>
          <CopyButton text={id} label="Copy id" variant="ghost" />
        </span>
      }
      actions={
        <>
          <DocsLink section={docs} />
          {actions}
        </>
      }
    />
  );
}

/** Above an archived resource's page: what archiving it means for this kind of resource. */
export function ArchivedAlert({ archived, noun, children }: { archived: boolean; noun: string; children: ReactNode }) {
  if (!archived) return null;
  return (
    <Alert tone="warning" className="mb-5" title={`This ${noun} is archived`}>
      {children}
    </Alert>
  );
}
