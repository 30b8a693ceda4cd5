import { settings } from "@/lib/env";
import { docsHref, type DocsSection } from "@/lib/docs-sections";

/**
 * A page header's "Docs" link to the README section that describes the page: on the console's own
 * /docs page, or in the README published at CONSOLE_DOCS_URL (in a new tab) when that is set.
 * Quiet on purpose: it sits beside the page's own actions without competing with them.
 */
export function DocsLink({ section }: { section: DocsSection }) {
  const readme = settings().CONSOLE_DOCS_URL;
  const className = "rounded-sm px-1 text-[13px] text-fg-muted underline-offset-4 hover:text-fg hover:underline";
  if (!readme) {
    return (
      <a href={docsHref(undefined, section)} className={className} data-testid="docs-link">
        Docs
      </a>
    );
  }
  return (
    <a href={docsHref(readme, section)} target="_blank" rel="noreferrer" className={className} data-testid="docs-link">
      Docs<span className="sr-only"> (opens in a new tab)</span>
    </a>
  );
}
