"use client";

import * as RadixDialog from "@radix-ui/react-dialog";
import { Command } from "cmdk";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { searchConsoleAction } from "@/lib/actions/console-search";
import type { ConsoleSearchHit, ConsoleSearchKind } from "@/lib/validation/console-search";
import { Badge } from "@/components/ui/badge";
import { OVERLAY_CLASS } from "@/components/ui/dialog";
import { useDialogFocus } from "@/components/ui/dialog-focus";

const GROUPS: { kind: ConsoleSearchKind; heading: string }[] = [
  { kind: "vault", heading: "Vaults" },
  { kind: "session", heading: "Sessions" },
  { kind: "agent", heading: "Agents" },
  { kind: "environment", heading: "Environments" },
];
/** Long enough to skip a request per keystroke, short enough not to feel late. */
const DEBOUNCE_MS = 150;

type Answer = { query: string; hits: ConsoleSearchHit[] } | { query: string; error: string };

/**
 * The search dialog itself (components/console/command-search.tsx opens it): cmdk's list inside a
 * Radix dialog, searching on the server by name or exact id as you type. Its own module, loaded on
 * the first ⌘K or Search click, so cmdk and the dialog are not part of any page's first load.
 */
export default function SearchDialog({ onClose }: { onClose: () => void }) {
  const router = useRouter();
  const [query, setQuery] = useState("");
  const [answer, setAnswer] = useState<Answer | null>(null);
  const latest = useRef("");
  const focus = useDialogFocus(true);

  useEffect(() => {
    const text = query.trim();
    latest.current = text;
    if (!text) return;
    const timer = setTimeout(async () => {
      const result = await searchConsoleAction(text);
      // A slower answer to an earlier query must not replace the current one.
      if (latest.current !== text) return;
      setAnswer(result.ok ? { query: text, hits: result.hits } : { query: text, error: result.error });
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query]);

  const text = query.trim();
  const current = answer && answer.query === text ? answer : null;
  const hits = current && "hits" in current ? current.hits : [];

  function choose(hit: ConsoleSearchHit) {
    onClose();
    router.push(hit.href);
  }

  return (
    <RadixDialog.Root open onOpenChange={(next) => (next ? undefined : onClose())}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className={OVERLAY_CLASS} />
        <RadixDialog.Content
          className="fixed top-[12vh] left-1/2 z-50 w-[calc(100%-2rem)] max-w-xl -translate-x-1/2 overflow-hidden rounded-xl border border-border bg-surface text-fg shadow-2xl focus:outline-none"
          aria-describedby={undefined}
          {...focus}
        >
          <RadixDialog.Title className="sr-only">Search the console</RadixDialog.Title>
          <Command shouldFilter={false} label="Search vaults, sessions, agents and environments" className="flex flex-col">
            <Command.Input
              value={query}
              onValueChange={setQuery}
              placeholder="Search by name or id: vaults, sessions, agents, environments"
              className="w-full border-b border-border bg-transparent px-4 py-3 text-sm outline-none placeholder:text-fg-subtle"
            />
            <Command.List className="max-h-[min(60vh,26rem)] overflow-y-auto p-1.5">
              {!text ? (
                <p className="px-3 py-6 text-center text-sm text-fg-muted">Type a name, or paste an id such as vlt_… or sesn_…</p>
              ) : current === null ? (
                <Command.Loading label="Searching">
                  <p className="px-3 py-6 text-center text-sm text-fg-muted">Searching…</p>
                </Command.Loading>
              ) : "error" in current ? (
                <p className="px-3 py-6 text-center text-sm text-danger" role="alert">
                  {current.error}
                </p>
              ) : (
                <Command.Empty className="px-3 py-6 text-center text-sm text-fg-muted">Nothing is named like that, and no id matches exactly.</Command.Empty>
              )}
              {GROUPS.map(({ kind, heading }) => {
                const group = hits.filter((hit) => hit.kind === kind);
                if (group.length === 0) return null;
                return (
                  <Command.Group
                    key={kind}
                    heading={heading}
                    className="[&_[cmdk-group-heading]]:px-2.5 [&_[cmdk-group-heading]]:pt-2 [&_[cmdk-group-heading]]:pb-1 [&_[cmdk-group-heading]]:text-[11px] [&_[cmdk-group-heading]]:font-medium [&_[cmdk-group-heading]]:tracking-wide [&_[cmdk-group-heading]]:text-fg-subtle [&_[cmdk-group-heading]]:uppercase"
                  >
                    {group.map((hit) => (
                      <Command.Item
                        key={hit.id}
                        value={hit.id}
                        onSelect={() => choose(hit)}
                        className="flex cursor-default items-center gap-2 rounded-md px-2.5 py-2 text-sm data-[selected=true]:bg-surface-2"
                      >
                        <span className="min-w-0 flex-1">
                          <span className="block truncate font-medium">{hit.name}</span>
                          <span className="block truncate font-mono text-xs text-fg-subtle">{hit.id}</span>
                        </span>
                        {hit.detail ? <span className="shrink-0 text-xs text-fg-muted">{hit.detail}</span> : null}
                        {hit.archived ? <Badge tone="warning">Archived</Badge> : null}
                      </Command.Item>
                    ))}
                  </Command.Group>
                );
              })}
            </Command.List>
          </Command>
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}
