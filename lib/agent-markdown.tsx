import { renderMarkdown, type MarkdownFlavour } from "@/lib/markdown";

/**
 * An agent's message as chat UIs show it: its Markdown rendered (lib/markdown.tsx), and nothing it
 * wrote ever lost or turned into markup. The text is the model's, so whatever is not Markdown this
 * renderer knows stays the characters it was: a line starting with "<" is text, an image is its
 * syntax as written (never a picture fetched from wherever the text points), a link that is not
 * http(s) (javascript:, data:, a path) is its syntax as written. Headings get no ids: every
 * message on the page would give its "Summary" the same one.
 */
const AGENT_FLAVOUR: MarkdownFlavour = {
  heading: (Tag, _text, contents) => <Tag>{contents}</Tag>,
  image: (_alt, source) => source,
  link: (href, text, source) =>
    /^https?:\/\//i.test(href) ? (
      // A new tab keeps the conversation open; nofollow and noreferrer because the model chose the address.
      <a href={href} target="_blank" rel="noopener noreferrer nofollow">
        {text}
      </a>
    ) : (
      source
    ),
  keepLineBreaks: true,
};

/** The message's elements; its line breaks are newlines in the text, shown by the caller's `white-space: pre-wrap`. */
export function AgentMarkdown({ text }: { text: string }) {
  return <>{renderMarkdown(text, AGENT_FLAVOUR)}</>;
}
