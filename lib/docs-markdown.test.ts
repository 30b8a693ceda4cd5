import { readFileSync } from "node:fs";
import path from "node:path";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Markdown } from "@/lib/docs-markdown";
import { DOCS_SECTIONS, headingAnchors } from "@/lib/docs-sections";

const readme = readFileSync(path.join(__dirname, "..", "README.md"), "utf8");

describe("the README as the /docs page", () => {
  it("gives every heading its GitHub anchor, so each page's Docs link lands on its section", () => {
    const html = renderToStaticMarkup(createElement(Markdown, { source: readme }));
    const ids = [...html.matchAll(/<h[1-6] id="([^"]+)"/g)].map((match) => match[1]);
    expect(ids).toEqual(headingAnchors(readme));
    for (const [page, anchor] of Object.entries(DOCS_SECTIONS)) expect(ids, `${page} → #${anchor}`).toContain(anchor);
  });

  it("numbers repeated headings' anchors afresh on every render, as GitHub does per document", () => {
    const render = () => renderToStaticMarkup(createElement(Markdown, { source: "## Setup\n## Setup" }));
    const expected = '<h2 id="setup"><a href="#setup" class="docs-anchor">Setup</a></h2><h2 id="setup-1"><a href="#setup-1" class="docs-anchor">Setup</a></h2>';
    expect(render()).toBe(expected);
    expect(render()).toBe(expected);
  });

  it("renders the Markdown it uses and never the file's markup", () => {
    const html = renderToStaticMarkup(
      createElement(Markdown, {
        source: [
          "## A `code` heading",
          "Text with **bold**, *emphasis*, `a | b`, [a link](https://example.com), [a file](bench/x.ts) and [here](#a-code-heading).",
          "",
          "- one",
          "  continued",
          "  1. nested",
          "- two",
          "",
          "| a | b |",
          "|---|---|",
          "| `x \\| y` | 2 |",
          "",
          "```sh",
          "# not a heading <script>",
          "```",
          '<img src="x.png" alt="A picture" onerror="alert(1)">',
          "![Another](y.png)",
          "<script>alert(1)</script>",
        ].join("\n"),
      }),
    );
    expect(html).toContain('<h2 id="a-code-heading"><a href="#a-code-heading" class="docs-anchor">A <code>code</code> heading</a></h2>');
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain("<em>emphasis</em>");
    expect(html).toContain("<code>a | b</code>");
    expect(html).toContain('<a href="https://example.com">a link</a>');
    expect(html).toContain("<span>a file</span>");
    expect(html).toContain('<a href="#a-code-heading">here</a>');
    expect(html).toMatch(/<ul><li><p>one continued<\/p><ol><li><p>nested<\/p><\/li><\/ol><\/li><li><p>two<\/p><\/li><\/ul>/);
    expect(html).toContain("<td><code>x | y</code></td>");
    expect(html).toContain("<pre><code># not a heading &lt;script&gt;</code></pre>");
    expect(html).toContain("[Picture: A picture]");
    expect(html).toContain("[Picture: Another]");
    expect(html).not.toMatch(/<script|<img|onerror=/);
  });
});
