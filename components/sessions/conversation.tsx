"use client";

import { useMutation } from "@tanstack/react-query";
import { useLayoutEffect, useMemo, useRef, useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Spinner } from "@/components/ui/spinner";
import { ConversationComposer } from "@/components/sessions/conversation-composer";
import { useConversation } from "@/components/sessions/conversation-provider";
import { ConversationRow } from "@/components/sessions/conversation-row";
import type { StreamState } from "@/components/sessions/use-session-event-stream";
import { interruptSessionAction } from "@/lib/actions/sessions";
import { fetchEarlierEvents } from "@/lib/queries/session-events";
import { timelineRows } from "@/lib/queries/session-timeline";

const STREAM_LOOK: Readonly<Record<StreamState, { tone: "success" | "neutral" | "warning"; label: string; title: string }>> = {
  connecting: { tone: "neutral", label: "Connecting…", title: "Opening the session's event stream" },
  live: { tone: "success", label: "Live", title: "New events appear as the session records them" },
  reconnecting: { tone: "warning", label: "Reconnecting…", title: "The stream dropped; it resumes after the last event shown, nothing lost" },
  stopped: { tone: "neutral", label: "Not live", title: "The event stream is not available; reload the page to see newer events" },
};

/** How close to the bottom (px) still counts as "following along", so new rows scroll into view. */
const FOLLOW_SLACK = 48;

/** The session page's conversation: its events as rows, earlier pages on demand, the message box. */
export function Conversation() {
  const { sessionId, events, status, awaiting, stream, readOnlyReason, earlierPage, announcement, addEvents, setEarlierPage } = useConversation();
  const rows = useMemo(() => timelineRows(events), [events]);
  const queued = rows.some((row) => row.kind === "user_message" && row.queued);
  const scroller = useRef<HTMLDivElement>(null);
  const following = useRef(true);

  const earlier = useMutation({
    mutationFn: (page: string) => fetchEarlierEvents(sessionId, page),
    onSuccess: (page) => {
      addEvents([...page.data].reverse(), "before");
      setEarlierPage(page.next_page);
    },
  });

  // Rows added at the bottom scroll into view while the reader is at the bottom, never while they read back.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && following.current) element.scrollTop = element.scrollHeight;
  }, [rows.length]);

  const look = STREAM_LOOK[stream];
  return (
    <Card>
      <CardHeader
        id="conversation-heading"
        title="Conversation"
        description="Messages, thinking, tool calls and their results, as the session's event stream delivers them."
        actions={
          <>
            <span title={look.title} data-testid="stream-state">
              <Badge tone={look.tone} dot>
                {look.label}
              </Badge>
            </span>
            {!readOnlyReason && (status === "running" || queued || awaiting.size > 0) ? <InterruptButton /> : null}
          </>
        }
      />
      <div
        ref={scroller}
        role="region"
        aria-labelledby="conversation-heading"
        tabIndex={0}
        onScroll={(event) => {
          const element = event.currentTarget;
          following.current = element.scrollHeight - element.scrollTop - element.clientHeight < FOLLOW_SLACK;
        }}
        className="max-h-[65vh] overflow-y-auto px-4 py-3 focus-visible:outline-2 focus-visible:outline-offset-[-2px] focus-visible:outline-accent"
      >
        {earlierPage ? (
          <div className="mb-3 flex flex-col items-center gap-1">
            <Button size="sm" variant="ghost" pending={earlier.isPending} onClick={() => earlier.mutate(earlierPage)}>
              Load earlier events
            </Button>
            <div aria-live="polite">{earlier.isError ? <p className="text-xs text-danger">Earlier events did not load: {earlier.error.message}</p> : null}</div>
          </div>
        ) : null}
        {rows.length === 0 ? (
          <EmptyConversation readOnly={readOnlyReason !== null} />
        ) : (
          <ol className="space-y-3" aria-label="Session events">
            {rows.map((row) => (
              <li key={row.id}>
                <ConversationRow row={row} />
              </li>
            ))}
          </ol>
        )}
        {status === "running" && awaiting.size === 0 ? (
          <p className="mt-3 flex items-center gap-2 text-[13px] text-fg-muted" data-testid="agent-working">
            <Spinner /> The agent is working…
          </p>
        ) : null}
      </div>
      {/* New agent text is read out as it arrives; the rows themselves are not a live region, so status lines stay quiet. */}
      <p className="sr-only" aria-live="polite">
        {announcement}
      </p>
      <ConversationComposer />
    </Card>
  );
}

function EmptyConversation({ readOnly }: { readOnly: boolean }) {
  return (
    <div className="px-2 py-6 text-center" data-testid="conversation-empty">
      <p className="text-sm font-medium">No events yet</p>
      <p className="mx-auto mt-1 max-w-xl text-[13px] leading-relaxed text-fg-muted">
        {readOnly
          ? "Nothing has happened in this session yet. An owner or admin can send it a message; its turns appear here as they run."
          : "Send a message to start a turn; the agent runs with this session's LLM vault, through the credential boundary, so its token never reaches the runtime. Its answer, thinking and tool calls appear here as they happen, and a tool that asks first waits for your Allow or Deny."}
      </p>
    </div>
  );
}

function InterruptButton() {
  const { sessionId, addEvents } = useConversation();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <span aria-live="assertive" className="text-xs text-danger">
        {error}
      </span>
      <Button
        size="sm"
        variant="danger-ghost"
        pending={pending}
        onClick={() =>
          startTransition(async () => {
            setError(null);
            const answer = await interruptSessionAction(sessionId);
            if (answer.ok) addEvents(answer.events, "after");
            else setError(answer.error);
          })
        }
      >
        Interrupt
      </Button>
    </>
  );
}
