import type { Metadata } from "next";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { DocsLink } from "@/components/console/docs-link";
import { NewResourceLink } from "@/components/console/new-resource-link";
import { ListLink, type ResourceLink } from "@/components/console/resource-header";
import { userMay } from "@/lib/auth/policy";
import { requireUser } from "@/lib/auth/session";
import { ConsoleError } from "@/lib/errors";
import type { DocsSection } from "@/lib/docs-sections";
import { resourceTitle } from "@/lib/page-resource";

/**
 * The console's page shells: a "new …" page and a list page state only their words and their own
 * form or table; the session check, the read-only notices and the layout are here, once.
 */

export type SearchParams = Record<string, string | string[] | undefined>;

/** One query parameter as text; a repeated one counts as absent. */
export function searchParam(value: string | string[] | undefined): string {
  return typeof value === "string" ? value : "";
}

/**
 * A list page's read for its address. A page cursor that does not read (edited by hand, or from
 * another list) sends the reader to the list's first page with the same filters, not to an error.
 */
export async function readListPage<T>(read: () => Promise<T>, pathname: string, query: SearchParams): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof ConsoleError && error.field === "page")) throw error;
    const kept = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (typeof value === "string" && key !== "page" && key !== "n") kept.set(key, value);
    redirect(kept.size > 0 ? `${pathname}?${kept}` : pathname);
  }
}

/** A resource page's title from the id in its URL (`params[key]`), before anything is loaded. */
export function titleFromId<Key extends string>(key: Key, fallback: string) {
  return async ({ params }: { params: Promise<Record<Key, string>> }): Promise<Metadata> => ({
    title: resourceTitle((await params)[key], fallback),
  });
}

/** A "new …" page: the form for users who may write, a read-only notice for the others. */
export function newResourcePage(page: {
  list: ResourceLink;
  title: string;
  description: ReactNode;
  form: (query: SearchParams) => ReactNode | Promise<ReactNode>;
}) {
  return async function NewResourcePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
    const user = await requireUser();
    return (
      <div className="mx-auto max-w-3xl">
        <PageHeader eyebrow={<ListLink list={page.list} />} title={page.title} description={page.description} />
        {userMay(user, "write") ? (
          await page.form(await searchParams)
        ) : (
          <Alert tone="info" title="Read-only">
            Your role ({user.role}) can look at {page.list.label.toLowerCase()} but not create them. Ask an owner or admin.
          </Alert>
        )}
      </div>
    );
  };
}

/** What a list page says about itself; the rows are its own. */
export interface ResourceListPage {
  title: string;
  /** The README section the header's Docs link opens. */
  docs: DocsSection;
  description: ReactNode;
  newLink: ResourceLink;
  /** Shown after `?deleted=1`, where a delete redirects to. */
  deletedMessage?: string;
  empty: { icon: ReactNode; noun: string; createLabel: string; body: ReactNode };
}

/** A list page's header, with its "New …" link for users who may write. */
export function ListPageHeader({ page, writable }: { page: Pick<ResourceListPage, "title" | "description" | "newLink" | "docs">; writable: boolean }) {
  return (
    <PageHeader
      title={page.title}
      description={page.description}
      actions={
        <>
          <DocsLink section={page.docs} />
          {writable ? <NewResourceLink href={page.newLink.href}>{page.newLink.label}</NewResourceLink> : null}
        </>
      }
    />
  );
}

/**
 * A list page's "nothing yet" state, rendered on the server and handed to the list, which shows it
 * when there is nothing to list at all (a search or "show archived" has its own).
 */
export function ResourceEmptyState({ page, writable }: { page: ResourceListPage; writable: boolean }) {
  return (
    <EmptyState
      icon={page.empty.icon}
      title={`No ${page.empty.noun} yet`}
      actions={writable ? <NewResourceLink href={page.newLink.href}>{page.empty.createLabel}</NewResourceLink> : null}
    >
      {page.empty.body}
      {writable ? null : <p className="mt-2">Your role is read-only; an owner or admin can create one.</p>}
    </EmptyState>
  );
}

/** A list page's header and its "deleted" notice (after `?deleted=1`, where a delete redirects to). */
export function ResourceListHeader({ page, query, writable }: { page: ResourceListPage; query: SearchParams; writable: boolean }) {
  return (
    <>
      <ListPageHeader page={page} writable={writable} />
      {page.deletedMessage && query.deleted === "1" ? (
        <Alert tone="success" className="mb-4">
          {page.deletedMessage}
        </Alert>
      ) : null}
    </>
  );
}
