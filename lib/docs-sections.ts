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

/** The section's address in the README published at `readmeUrl` (any fragment it carries is replaced). */
export function docsHref(readmeUrl: string, section: DocsSection): string {
  const url = new URL(readmeUrl);
  url.hash = DOCS_SECTIONS[section];
  return url.toString();
}

/**
 * A heading's anchor as GitHub makes it: lower case, punctuation dropped (hyphens and underscores
 * kept), each space a hyphen; a repeated heading gets -1, -2, … in document order.
 */
export function headingAnchors(markdown: string): string[] {
  const seen = new Map<string, number>();
  const anchors: string[] = [];
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (!heading?.[1]) continue;
    const base = heading[1]
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.push(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}
