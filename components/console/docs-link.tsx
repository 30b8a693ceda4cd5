import { settings } from "@/lib/env";
import { docsHref, type DocsSection } from "@/lib/docs-sections";

/**
 * A page header's "Docs" link to the README section that describes the page, when the console
 * knows where its README is published (CONSOLE_DOCS_URL); otherwise nothing. Quiet on purpose:
 * it sits beside the page's own actions without competing with them.
 */
export function DocsLink({ section }: { section: DocsSection }) {
  const readme = settings().CONSOLE_DOCS_URL;
  if (!readme) return null;
  return (
    <a
      href={docsHref(readme, section)}
      target="_blank"
      rel="noreferrer"
      className="rounded-sm px-1 text-[13px] text-fg-muted underline-offset-4 hover:text-fg hover:underline"
      data-testid="docs-link"
    >
      Docs<span className="sr-only"> (opens in a new tab)</span>
    </a>
  );
}
