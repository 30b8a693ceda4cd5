import type { ReactNode } from "react";
import { headingSlugger } from "@/lib/docs-sections";

/**
 * The README as React elements, on the server: the subset of Markdown it is written in (headings,
 * paragraphs, lists, fenced code, tables, bold, emphasis, code spans, links). Elements rather
 * than an HTML string, so nothing in the file is ever markup (no dangerouslySetInnerHTML, nothing
 * for the page's CSP to allow), and headings carry the same anchors GitHub gives them
 * (lib/docs-sections.ts), so a Docs link lands on its section here as it does on GitHub.
 * Pictures (screenshots kept in the repository, not served) are shown as their descriptions.
 */

type Slugger = (text: string) => string;

const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;
const BULLET = /^([-*])\s+/;
const NUMBERED = /^(\d+)\.\s+/;
const FENCE = /^```/;
const IMAGE_TAG_ALT = /<img\b[^>]*\balt="([^"]*)"[^>]*>/g;

function startsBlock(line: string): boolean {
  return FENCE.test(line) || HEADING.test(line) || BULLET.test(line) || NUMBERED.test(line) || line.startsWith("|") || line.startsWith("<");
}

/** Links that go somewhere from this page: the web, an anchor here, a console path. A path in the repository is shown as text. */
function safeHref(href: string): string | null {
  if (/^https?:\/\//i.test(href)) return href.startsWith("http://127.0.0.1") ? null : href;
  if (href.startsWith("#")) return href;
  return null;
}

const INLINE =
  /(`+)([\s\S]*?[^`])\1(?!`)|\*\*([\s\S]+?)\*\*|(?<![\w*])\*(?!\s)([^*]+?)\*(?![\w*])|!\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)|\[([^\]]+)\]\(([^)\s]+)\)/g;

function inline(text: string, keyPrefix = "i"): ReactNode[] {
  const nodes: ReactNode[] = [];
  let last = 0;
  let index = 0;
  for (const match of text.matchAll(INLINE)) {
    const at = match.index ?? 0;
    if (at > last) nodes.push(text.slice(last, at));
    const key = `${keyPrefix}-${index++}`;
    const [, ticks, code, bold, emphasis, imageAlt, , linkText, linkHref] = match;
    if (ticks !== undefined && code !== undefined) nodes.push(<code key={key}>{code.trim()}</code>);
    else if (bold !== undefined) nodes.push(<strong key={key}>{inline(bold, key)}</strong>);
    else if (emphasis !== undefined) nodes.push(<em key={key}>{inline(emphasis, key)}</em>);
    else if (imageAlt !== undefined) nodes.push(<span key={key} className="docs-picture">{`[Picture: ${imageAlt}]`}</span>);
    else if (linkText !== undefined && linkHref !== undefined) {
      const href = safeHref(linkHref);
      nodes.push(
        href ? (
          <a key={key} href={href}>
            {inline(linkText, key)}
          </a>
        ) : (
          <span key={key}>{inline(linkText, key)}</span>
        ),
      );
    }
    last = at + match[0].length;
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
function listItems(lines: string[], start: number, marker: RegExp): { items: string[][]; end: number } {
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
        if (marker.test(next) || startsBlock(next)) break;
        item.push(next);
      } else item.push(next.replace(/^ {1,4}/, ""));
      at++;
    }
    items.push(item);
  }
  return { items, end: at };
}

function blocks(lines: string[], slug: Slugger, keyPrefix: string): ReactNode[] {
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
      const Tag = `h${heading[1].length}` as "h1";
      const id = slug(heading[2]);
      nodes.push(
        <Tag key={key} id={id}>
          <a href={`#${id}`} className="docs-anchor">
            {inline(heading[2], key)}
          </a>
        </Tag>,
      );
      at++;
      continue;
    }
    const bullet = BULLET.test(line);
    if (bullet || NUMBERED.test(line)) {
      const { items, end } = listItems(lines, at, bullet ? BULLET : NUMBERED);
      const children = items.map((item, itemIndex) => <li key={`${key}-${itemIndex}`}>{blocks(item, slug, `${key}-${itemIndex}`)}</li>);
      nodes.push(bullet ? <ul key={key}>{children}</ul> : <ol key={key}>{children}</ol>);
      at = end;
      continue;
    }
    if (line.startsWith("|")) {
      const rows: string[] = [];
      while (at < lines.length && (lines[at] ?? "").startsWith("|")) rows.push(lines[at++] ?? "");
      const [header = "", , ...body] = rows;
      nodes.push(
        <div key={key} className="docs-table">
          <table>
            <thead>
              <tr>
                {cells(header).map((cell, cellIndex) => (
                  <th key={cellIndex}>{inline(cell, `${key}-h${cellIndex}`)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {body.map((row, rowIndex) => (
                <tr key={rowIndex}>
                  {cells(row).map((cell, cellIndex) => (
                    <td key={cellIndex}>{inline(cell, `${key}-${rowIndex}-${cellIndex}`)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>,
      );
      continue;
    }
    if (line.startsWith("<")) {
      // Raw HTML in the README is only pictures: their descriptions, never their markup.
      const alts = [...line.matchAll(IMAGE_TAG_ALT)].map((match) => match[1] ?? "");
      if (alts.length)
        nodes.push(
          <p key={key} className="docs-picture">
            {alts.map((alt) => `[Picture: ${alt}]`).join(" ")}
          </p>,
        );
      at++;
      continue;
    }
    const paragraph = [line];
    at++;
    while (at < lines.length && (lines[at] ?? "").trim() !== "" && !startsBlock(lines[at] ?? "")) paragraph.push(lines[at++] ?? "");
    nodes.push(<p key={key}>{inline(paragraph.map((part) => part.trim()).join(" "), key)}</p>);
  }
  return nodes;
}

export function Markdown({ source }: { source: string }) {
  return <>{blocks(source.split("\n"), headingSlugger(), "b")}</>;
}
