"use client";

import { Badge, type BadgeTone } from "@/components/ui/badge";
import { useConversation } from "@/components/sessions/conversation-provider";

const NUMBER = new Intl.NumberFormat("en-GB");

const LOOK: Readonly<Record<string, { tone: BadgeTone; label: string }>> = {
  running: { tone: "info", label: "Running" },
  idle: { tone: "neutral", label: "Idle" },
  rescheduled: { tone: "warning", label: "Rescheduled" },
  terminated: { tone: "danger", label: "Terminated" },
};

/** The session's run status and token usage as its events say, live; for the page header. */
export function ConversationStatus() {
  const { status, awaiting, usage } = useConversation();
  const look =
    awaiting.size > 0 ? { tone: "warning" as const, label: "Waiting for confirmation" } : (LOOK[status] ?? { tone: "neutral" as const, label: status });
  return (
    <>
      <span data-testid="session-status" aria-live="polite">
        <Badge tone={look.tone} dot>
          {look.label}
        </Badge>
      </span>
      <span className="text-xs text-fg-muted" data-testid="session-usage" title="Tokens used by this session's model requests">
        {NUMBER.format(usage.input_tokens)} in · {NUMBER.format(usage.output_tokens)} out
        {usage.cache_read_input_tokens > 0 ? ` · ${NUMBER.format(usage.cache_read_input_tokens)} cache read` : ""} tokens
      </span>
    </>
  );
}
