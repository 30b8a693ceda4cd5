import { Fragment, type ReactNode } from "react";

/**
 * Markdown as React elements: the subset the README and Claude's answers are written in (headings,
 * paragraphs, lists, fenced code, tables, bold, emphasis, code spans, links). Elements rather than
 * an HTML string, so nothing in the text is ever markup (no dangerouslySetInnerHTML, nothing for
 * the page's CSP to allow). What differs between the README (lib/docs-markdown.tsx, on the server)
 * and an agent's message (lib/agent-markdown.tsx, in the browser) is the flavour; this module
 * imports nothing else so it costs the session page only itself.
 */
export interface MarkdownFlavour {
  /** A heading's element, given its tag, its text as written and its rendered contents: the README links its anchor. */
  heading: (tag: HeadingTag, text: string, contents: ReactNode[]) => ReactNode;
  /** What stands for `![alt](src)` (`source` as written): never a picture loaded from the text. */
  image: (alt: string, source: string) => ReactNode;
  /** What `[text](href)` becomes (`source` as written): a link only where the flavour trusts `href`. */
  link: (href: string, text: ReactNode[], source: string) => ReactNode;
  /** A line starting with "<" as a block of its own (the README's pictures); without it such a line is text like any other. */
  htmlLine?: (line: string) => ReactNode;
  /** Chat keeps a paragraph's line breaks as written; the README's are reflowed into one line. */
  keepLineBreaks: boolean;
}

export type HeadingTag = "h1" | "h2" | "h3" | "h4" | "h5" | "h6";

const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;
const BULLET = /^([-*])\s+/;
const NUMBERED = /^(\d+)\.\s+/;
const FENCE = /^```/;
// The row under a table's header: only bars, dashes, colons and spaces. Without it "|" lines are
// text, so a line that merely starts with a bar never has its next line swallowed as a divider.
const TABLE_DIVIDER = /^\|[\s:|-]*-[\s:|-]*$/;

function startsTable(lines: string[], at: number): boolean {
  return (lines[at] ?? "").startsWith("|") && TABLE_DIVIDER.test(lines[at + 1] ?? "");
}

function startsBlock(lines: string[], at: number, flavour: MarkdownFlavour): boolean {
  const line = lines[at] ?? "";
  return (
    FENCE.test(line) ||
    HEADING.test(line) ||
    BULLET.test(line) ||
    NUMBERED.test(line) ||
    startsTable(lines, at) ||
    (flavour.htmlLine !== undefined && line.startsWith("<"))
  );
}

const INLINE =
  /(`+)([\s\S]*?[^`])\1(?!`)|\*\*([\s\S]+?)\*\*|(?<![\w*])\*(?!\s)([^*]+?)\*(?![\w*])|!\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)|\[([^\]]+)\]\(([^)\s]+)\)/g;

function inline(text: string, flavour: MarkdownFlavour, keyPrefix: string): ReactNode[] {
  const nodes: ReactNode[] = [];
  let last = 0;
  let index = 0;
  for (const match of text.matchAll(INLINE)) {
    const at = match.index ?? 0;
    if (at > last) nodes.push(text.slice(last, at));
    const key = `${keyPrefix}-${index++}`;
    const [source, ticks, code, bold, emphasis, imageAlt, , linkText, linkHref] = match;
    if (ticks !== undefined && code !== undefined) nodes.push(<code key={key}>{code.trim()}</code>);
    else if (bold !== undefined) nodes.push(<strong key={key}>{inline(bold, flavour, key)}</strong>);
    else if (emphasis !== undefined) nodes.push(<em key={key}>{inline(emphasis, flavour, key)}</em>);
    else if (imageAlt !== undefined) nodes.push(<Fragment key={key}>{flavour.image(imageAlt, source)}</Fragment>);
    else if (linkText !== undefined && linkHref !== undefined)
      nodes.push(<Fragment key={key}>{flavour.link(linkHref, inline(linkText, flavour, key), source)}</Fragment>);
    last = at + source.length;
  }
  if (last < text.length) nodes.push(text.slice(last));
  return nodes;
}

/** Table cells, split on `|` outside code spans (`\|` is a literal bar). */
function cells(row: string): string[] {
  const trimmed = row.trim().replace(/^\|/, "").replace(/\|$/, "");
  const found: string[] = [];
  let current = "";
  let inCode = false;
  for (let at = 0; at < trimmed.length; at++) {
    const char = trimmed[at];
    if (char === "\\" && trimmed[at + 1] === "|") {
      current += "|";
      at++;
    } else if (char === "`") {
      inCode = !inCode;
      current += char;
    } else if (char === "|" && !inCode) {
      found.push(current.trim());
      current = "";
    } else current += char;
  }
  found.push(current.trim());
  return found;
}

/** A list item's own lines: its first line, then every indented or blank line until the next item or the list's end. */
function listItems(lines: string[], start: number, marker: RegExp, flavour: MarkdownFlavour): { items: string[][]; end: number } {
  const items: string[][] = [];
  let at = start;
  while (at < lines.length) {
    const line = lines[at] ?? "";
    const head = marker.exec(line);
    if (!head) break;
    const item = [line.slice(head[0].length)];
    at++;
    while (at < lines.length) {
      const next = lines[at] ?? "";
      if (next.trim() === "") {
        // A blank line ends the list unless an indented line (the same item) follows.
        if (/^\s{2,}\S/.test(lines[at + 1] ?? "")) {
          item.push("");
          at++;
          continue;
        }
        break;
      }
      if (!/^\s/.test(next)) {
        if (marker.test(next) || startsBlock(lines, at, flavour)) break;
        item.push(next);
      } else item.push(next.replace(/^ {1,4}/, ""));
      at++;
    }
    items.push(item);
  }
  return { items, end: at };
}

function table(rows: string[], flavour: MarkdownFlavour, key: string): ReactNode {
  const [header = "", , ...body] = rows;
  return (
    <div key={key} className="markdown-table">
      <table>
        <thead>
          <tr>
            {cells(header).map((cell, cellIndex) => (
              <th key={cellIndex}>{inline(cell, flavour, `${key}-h${cellIndex}`)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {body.map((row, rowIndex) => (
            <tr key={rowIndex}>
              {cells(row).map((cell, cellIndex) => (
                <td key={cellIndex}>{inline(cell, flavour, `${key}-${rowIndex}-${cellIndex}`)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function blocks(lines: string[], flavour: MarkdownFlavour, keyPrefix: string): ReactNode[] {
  const nodes: ReactNode[] = [];
  let at = 0;
  let index = 0;
  while (at < lines.length) {
    const line = lines[at] ?? "";
    const key = `${keyPrefix}-${index++}`;
    if (line.trim() === "") {
      at++;
      continue;
    }
    if (FENCE.test(line)) {
      const code: string[] = [];
      at++;
      while (at < lines.length && !FENCE.test(lines[at] ?? "")) code.push(lines[at++] ?? "");
      at++;
      nodes.push(
        <pre key={key}>
          <code>{code.join("\n")}</code>
        </pre>,
      );
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading?.[1] && heading[2]) {
      const tag = `h${heading[1].length}` as HeadingTag;
      nodes.push(<Fragment key={key}>{flavour.heading(tag, heading[2], inline(heading[2], flavour, key))}</Fragment>);
      at++;
      continue;
    }
    const numbered = NUMBERED.exec(line);
    if (BULLET.test(line) || numbered) {
      const { items, end } = listItems(lines, at, numbered ? NUMBERED : BULLET, flavour);
      const children = items.map((item, itemIndex) => <li key={`${key}-${itemIndex}`}>{blocks(item, flavour, `${key}-${itemIndex}`)}</li>);
      // A list that starts past 1 (an answer continuing its count) keeps its numbers.
      const start = numbered ? Number(numbered[1]) : 1;
      nodes.push(
        numbered ? (
          <ol key={key} start={start === 1 ? undefined : start}>
            {children}
          </ol>
        ) : (
          <ul key={key}>{children}</ul>
        ),
      );
      at = end;
      continue;
    }
    if (startsTable(lines, at)) {
      const rows: string[] = [];
      while (at < lines.length && (lines[at] ?? "").startsWith("|")) rows.push(lines[at++] ?? "");
      nodes.push(table(rows, flavour, key));
      continue;
    }
    if (flavour.htmlLine && line.startsWith("<")) {
      nodes.push(<Fragment key={key}>{flavour.htmlLine(line)}</Fragment>);
      at++;
      continue;
    }
    const paragraph = [line];
    at++;
    while (at < lines.length && (lines[at] ?? "").trim() !== "" && !startsBlock(lines, at, flavour)) paragraph.push(lines[at++] ?? "");
    const text = flavour.keepLineBreaks ? paragraph.join("\n") : paragraph.map((part) => part.trim()).join(" ");
    nodes.push(<p key={key}>{inline(text, flavour, key)}</p>);
  }
  return nodes;
}

/** The Markdown `source` as elements, in the given flavour. */
export function renderMarkdown(source: string, flavour: MarkdownFlavour): ReactNode[] {
  return blocks(source.split(/\r?\n/), flavour, "b");
}
