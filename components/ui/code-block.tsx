import { CopyButton } from "@/components/ui/copy-button";

export function CodeBlock({ code, label, language = "ts" }: { code: string; label: string; language?: string }) {
  return (
    <figure className="overflow-hidden rounded-lg border border-border bg-code-bg">
      <figcaption className="flex items-center justify-between border-b border-white/10 px-3 py-1.5 text-xs text-zinc-400">
        <span>
          {label} <span className="text-zinc-500">· {language}</span>
        </span>
        <CopyButton text={code} variant="ghost" className="text-zinc-300 hover:bg-white/10 hover:text-white" />
      </figcaption>
      <pre className="overflow-x-auto p-3.5 font-mono text-[12.5px] leading-relaxed text-code-fg">
        <code>{code}</code>
      </pre>
    </figure>
  );
}
