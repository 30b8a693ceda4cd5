import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DOCS_SECTIONS, docsHref, headingAnchors } from "@/lib/docs-sections";

const readme = readFileSync(path.join(__dirname, "..", "README.md"), "utf8");

describe("the console's Docs links", () => {
  it("point at headings README.md has", () => {
    const anchors = new Set(headingAnchors(readme));
    for (const [page, anchor] of Object.entries(DOCS_SECTIONS)) expect(anchors.has(anchor), `${page} → #${anchor}`).toBe(true);
  });

  it("make anchors as GitHub does: punctuation dropped, spaces hyphens, repeats numbered, fenced code skipped", () => {
    expect(headingAnchors("# The admin UI\n## API keys\n```\n# not a heading\n```\n### Sessions: exactly one LLM vault\n## API keys")).toEqual([
      "the-admin-ui",
      "api-keys",
      "sessions-exactly-one-llm-vault",
      "api-keys-1",
    ]);
  });

  it("replace the configured README address's fragment with the page's section", () => {
    expect(docsHref("https://example.com/org/console/blob/main/README.md#top", "vault")).toBe(
      "https://example.com/org/console/blob/main/README.md#the-vault-page",
    );
    expect(docsHref(undefined, "apiKeys")).toBe("/docs#api-keys");
  });
});
