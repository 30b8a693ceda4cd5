import { AgentMarkdown } from "@/lib/agent-markdown";

// Markdown at the conversation's own size: text-sm, tight margins, no margin above the first block
// or below the last (a one-paragraph answer sits exactly where its plain text did), code and tables
// that scroll sideways on a phone. pre-wrap shows the line breaks and spacing the agent wrote
// (lib/agent-markdown.tsx keeps them as newlines); <pre> keeps its own `pre` and scrolls.
const CHAT_PROSE = [
  "min-w-0 text-sm whitespace-pre-wrap [&>:first-child]:mt-0 [&>:last-child]:mb-0",
  "[&_:is(h1,h2,h3,h4,h5,h6)]:mt-3 [&_:is(h1,h2,h3,h4,h5,h6)]:mb-1 [&_:is(h1,h2,h3,h4,h5,h6)]:font-semibold [&_:is(h1,h2)]:text-[15px]",
  "[&_p]:my-1.5 [&_:is(ul,ol)]:my-1.5 [&_:is(ul,ol)]:pl-5 [&_ul]:list-disc [&_ol]:list-decimal [&_li]:my-0.5 [&_li>p]:my-0",
  "[&_a]:text-accent [&_a]:underline [&_a]:underline-offset-2 [&_strong]:font-semibold",
  "[&_code]:rounded [&_code]:bg-surface-2 [&_code]:px-1 [&_code]:py-0.5 [&_code]:font-mono [&_code]:text-[12.5px]",
  "[&_pre]:my-2 [&_pre]:overflow-x-auto [&_pre]:rounded-md [&_pre]:border [&_pre]:border-border [&_pre]:bg-surface-2/40 [&_pre]:px-3 [&_pre]:py-2",
  "[&_pre_code]:bg-transparent [&_pre_code]:p-0 [&_pre_code]:text-[12px]",
  "[&_.markdown-table]:my-2 [&_.markdown-table]:overflow-x-auto [&_table]:text-[13px] [&_:is(th,td)]:border-b [&_:is(th,td)]:border-border",
  "[&_:is(th,td)]:px-2 [&_:is(th,td)]:py-1 [&_:is(th,td)]:text-left [&_:is(th,td)]:align-top [&_th]:font-semibold",
].join(" ");

/** An agent's answer in the conversation, its Markdown rendered. */
export function AgentMessageText({ text }: { text: string }) {
  return (
    <div className={CHAT_PROSE}>
      <AgentMarkdown text={text} />
    </div>
  );
}
