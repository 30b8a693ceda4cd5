import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { AgentMarkdown } from "@/lib/agent-markdown";

const render = (text: string) => renderToStaticMarkup(createElement(AgentMarkdown, { text }));

/** What the reader sees of the markup: its text, entities decoded. */
function textOf(html: string): string {
  const entities: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#x27;": "'", "&amp;": "&" };
  return html.replace(/<[^>]*>/g, "").replace(/&(lt|gt|quot|#x27|amp);/g, (entity) => entities[entity] ?? entity);
}

describe("an agent's message as Markdown", () => {
  it("renders bold, code spans, lists, fenced code and tables", () => {
    const html = render(
      [
        "Three new tickets:",
        "",
        "1. **#4182** — a `502` for EU cards",
        "2. *docs* question",
        "",
        "- one",
        "- two",
        "",
        "```ts",
        "const a = 1 < 2;",
        "```",
        "",
        "| a | b |",
        "|:--|--:|",
        "| 1 | 2 |",
      ].join("\n"),
    );
    expect(html).toContain("<p>Three new tickets:</p>");
    expect(html).toContain("<ol><li><p><strong>#4182</strong> — a <code>502</code> for EU cards</p></li><li><p><em>docs</em> question</p></li></ol>");
    expect(html).toContain("<ul><li><p>one</p></li><li><p>two</p></li></ul>");
    expect(html).toContain("<pre><code>const a = 1 &lt; 2;</code></pre>");
    expect(html).toContain(
      '<div class="markdown-table"><table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table></div>',
    );
  });

  it("keeps a numbered list's first number, so a list continued after a paragraph counts on", () => {
    expect(render("3. third\n4. fourth")).toMatch(/^<ol start="3"><li>/);
  });

  it("shows raw HTML as the text it is", () => {
    const html = render("<script>alert(1)</script>\n<b>bold?</b> <img src=x onerror=alert(1)>");
    expect(html).not.toMatch(/<script|<b>|<img/);
    expect(textOf(html)).toBe("<script>alert(1)</script>\n<b>bold?</b> <img src=x onerror=alert(1)>");
  });

  it("links only http(s), in a new tab, and shows any other link as its syntax", () => {
    const html = render("[docs](https://example.com/a) [x](javascript:alert(1)) [y](data:text/html,hi) [z](/vaults)");
    expect(html).toContain('<a href="https://example.com/a" target="_blank" rel="noopener noreferrer nofollow">docs</a>');
    expect(html.match(/<a /g)).toHaveLength(1);
    expect(textOf(html)).toBe("docs [x](javascript:alert(1)) [y](data:text/html,hi) [z](/vaults)");
  });

  it("never loads a picture: an image is its alt text and address, as written", () => {
    const html = render('See ![the chart](https://example.com/c.png "Chart")');
    expect(html).not.toMatch(/<img|<a /);
    expect(textOf(html)).toBe('See ![the chart](https://example.com/c.png "Chart")');
  });

  it("keeps a paragraph's line breaks and its spacing", () => {
    expect(render("Line one\nLine two\n  indented")).toBe("<p>Line one\nLine two\n  indented</p>");
    expect(render("a\r\nb")).toBe("<p>a\nb</p>");
  });

  it("gives headings no id or anchor: every message would repeat them", () => {
    expect(render("## Summary\nDone.")).toBe("<h2>Summary</h2><p>Done.</p>");
  });

  it("shows a message without Markdown as exactly its text", () => {
    const plain =
      "Labelled billing/urgent, docs and bug/medium. Draft for #4183: “You can rotate a key under Settings → API keys.”\n| not a table\n2 * 3 = 6, a_b_c & <tag>";
    const html = render(plain);
    expect(html).toMatch(/^<p>[^<]*<\/p>$/);
    expect(textOf(html)).toBe(plain);
  });
});
