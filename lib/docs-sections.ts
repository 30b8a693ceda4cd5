/**
 * Where each console page is documented: the README heading (its GitHub anchor) that describes it.
 * lib/docs-sections.test.ts checks every anchor against README.md's headings, so renaming a heading
 * without updating this table fails the unit tests.
 */
export const DOCS_SECTIONS = {
  vaults: "vaults",
  vault: "the-vault-page",
  sessions: "sessions",
  session: "the-session-page",
  agents: "agents",
  environments: "environments",
  apiKeys: "api-keys",
  audit: "audit-log",
  users: "users",
  account: "account",
} as const;

export type DocsSection = keyof typeof DOCS_SECTIONS;

/** Where the console serves its own README (app/docs/page.tsx) when CONSOLE_DOCS_URL names no other. */
export const OWN_DOCS_PATH = "/docs";

/**
 * The section's address: in the README published at `readmeUrl` (any fragment it carries is
 * replaced), or on the console's own /docs page when there is none.
 */
export function docsHref(readmeUrl: string | undefined, section: DocsSection): string {
  if (!readmeUrl) return `${OWN_DOCS_PATH}#${DOCS_SECTIONS[section]}`;
  const url = new URL(readmeUrl);
  url.hash = DOCS_SECTIONS[section];
  return url.toString();
}

/**
 * A heading's anchor as GitHub makes it: lower case, punctuation dropped (hyphens and underscores
 * kept), each space a hyphen; a repeated heading gets -1, -2, … in document order. One slugger
 * per document: it remembers the anchors it gave.
 */
export function headingSlugger(): (headingText: string) => string {
  const seen = new Map<string, number>();
  return (headingText) => {
    const base = headingText
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count === 0 ? base : `${base}-${count}`;
  };
}

/** Every heading's anchor in a Markdown document, in order (headings inside fenced code are none). */
export function headingAnchors(markdown: string): string[] {
  const slug = headingSlugger();
  const anchors: string[] = [];
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading?.[1]) anchors.push(slug(heading[1]));
  }
  return anchors;
}
