import { headingSlugger } from "@/lib/docs-sections";
import { renderMarkdown, type MarkdownFlavour } from "@/lib/markdown";

/**
 * The README as React elements, on the server (lib/markdown.tsx renders; this is the README's
 * flavour). Headings carry the same anchors GitHub gives them (lib/docs-sections.ts), so a Docs
 * link lands on its section here as it does on GitHub. Pictures (screenshots kept in the
 * repository, not served) are shown as their descriptions.
 */

const IMAGE_TAG_ALT = /<img\b[^>]*\balt="([^"]*)"[^>]*>/g;

/** Links that go somewhere from this page: the web, an anchor here. A path in the repository is shown as text. */
function safeHref(href: string): string | null {
  if (/^https?:\/\//i.test(href)) return href.startsWith("http://127.0.0.1") ? null : href;
  if (href.startsWith("#")) return href;
  return null;
}

/** One per render: the slugger numbers repeated headings in document order. */
function readmeFlavour(): MarkdownFlavour {
  const slug = headingSlugger();
  return {
    heading: (Tag, text, contents) => {
      const id = slug(text);
      return (
        <Tag id={id}>
          <a href={`#${id}`} className="docs-anchor">
            {contents}
          </a>
        </Tag>
      );
    },
    image: (alt) => <span className="docs-picture">{`[Picture: ${alt}]`}</span>,
    link: (href, text) => {
      const safe = safeHref(href);
      return safe ? <a href={safe}>{text}</a> : <span>{text}</span>;
    },
    // Raw HTML in the README is only pictures: their descriptions, never their markup.
    htmlLine: (line) => {
      const alts = [...line.matchAll(IMAGE_TAG_ALT)].map((match) => match[1] ?? "");
      return alts.length ? <p className="docs-picture">{alts.map((alt) => `[Picture: ${alt}]`).join(" ")}</p> : null;
    },
    keepLineBreaks: false,
  };
}

export function Markdown({ source }: { source: string }) {
  return <>{renderMarkdown(source, readmeFlavour())}</>;
}
