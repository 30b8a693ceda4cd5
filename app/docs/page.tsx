import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { Metadata } from "next";
import Link from "next/link";
import { Brand } from "@/components/brand";
import { Markdown } from "@/lib/docs-markdown";

export const metadata: Metadata = { title: "Docs" };

const README = path.join(process.cwd(), "README.md");
let cached: { mtimeMs: number; source: string } | null = null;

/** The README beside the running console, read again only when it changed. */
function readme(): string {
  const { mtimeMs } = statSync(README);
  if (cached?.mtimeMs !== mtimeMs) cached = { mtimeMs, source: readFileSync(README, "utf8") };
  return cached.source;
}

// The README's elements, styled here: headings with anchors, code, tables that scroll on a phone.
const PROSE = [
  "text-[15px] leading-relaxed text-fg",
  "[&_h1]:mt-2 [&_h1]:mb-4 [&_h1]:text-2xl [&_h1]:font-semibold",
  "[&_h2]:mt-10 [&_h2]:mb-3 [&_h2]:border-b [&_h2]:border-border [&_h2]:pb-1.5 [&_h2]:text-xl [&_h2]:font-semibold",
  "[&_h3]:mt-8 [&_h3]:mb-2 [&_h3]:text-lg [&_h3]:font-semibold [&_h4]:mt-6 [&_h4]:font-semibold",
  "[&_:is(h1,h2,h3,h4)]:scroll-mt-4 [&_.docs-anchor]:text-fg [&_.docs-anchor]:no-underline [&_.docs-anchor:hover]:underline",
  "[&_p]:my-3 [&_ul]:my-3 [&_ul]:list-disc [&_ul]:pl-6 [&_ol]:my-3 [&_ol]:list-decimal [&_ol]:pl-6 [&_li]:my-1 [&_li>p]:my-1",
  "[&_a]:text-accent [&_a]:underline-offset-4 [&_a:hover]:underline [&_strong]:font-semibold",
  "[&_code]:rounded [&_code]:bg-surface-2 [&_code]:px-1 [&_code]:py-0.5 [&_code]:font-mono [&_code]:text-[13px]",
  "[&_pre]:my-4 [&_pre]:overflow-x-auto [&_pre]:rounded-lg [&_pre]:border [&_pre]:border-border [&_pre]:bg-surface [&_pre]:p-3 [&_pre_code]:bg-transparent [&_pre_code]:p-0",
  "[&_.markdown-table]:my-4 [&_.markdown-table]:overflow-x-auto [&_table]:w-full [&_table]:text-sm [&_th]:border-b [&_th]:border-border [&_th]:p-2 [&_th]:text-left",
  "[&_td]:border-b [&_td]:border-border [&_td]:p-2 [&_td]:align-top [&_.docs-picture]:text-sm [&_.docs-picture]:text-fg-muted [&_.docs-picture]:italic",
].join(" ");

/**
 * The console's README, served by the console: where every page's Docs link goes unless
 * CONSOLE_DOCS_URL names a published copy. Rendered on the server with no script of its own
 * (lib/docs-markdown.tsx), and public like the README itself: it documents the software,
 * holds nothing of this deployment, and helps someone who cannot sign in yet.
 */
export default function DocsPage() {
  return (
    <div className="min-h-dvh">
      <header className="flex items-center justify-between border-b border-border bg-sidebar px-4 py-3 sm:px-6">
        <Link href="/vaults" aria-label="Credential console home">
          <Brand />
        </Link>
        <Link href="/vaults" className="text-sm text-fg-muted underline-offset-4 hover:text-fg hover:underline">
          Back to the console
        </Link>
      </header>
      <main id="main" className="px-4 py-6 sm:px-6 lg:py-8">
        <article className={`mx-auto max-w-3xl ${PROSE}`}>
          <Markdown source={readme()} />
        </article>
      </main>
    </div>
  );
}
