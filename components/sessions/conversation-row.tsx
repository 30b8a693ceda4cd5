"use client";

import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { AgentMessageText } from "@/components/sessions/agent-message-text";
import { ConversationToolCall } from "@/components/sessions/conversation-tool-call";
import type { TimelineRow } from "@/lib/queries/session-timeline";

const NUMBER = new Intl.NumberFormat("en-GB");

const STOP_REASON: Readonly<Record<string, string>> = {
  end_turn: "end of turn",
  requires_action: "waiting for confirmation",
  retries_exhausted: "retries exhausted",
  budget_reached: "budget reached",
  refusal: "the model refused",
};

const RETRY_STATUS: Readonly<Record<string, string>> = {
  terminal: "The turn ended; fix the cause, then send a new message.",
  exhausted: "Retries are exhausted; the turn ended.",
  retrying: "The session retries on its own.",
};

/** Who speaks, in the narrow left column. */
function Speaker({ children }: { children: string }) {
  return <span className="pt-0.5 text-xs font-semibold tracking-wide text-fg-muted uppercase">{children}</span>;
}

/** A quiet line across the conversation for what happened to the session rather than who said what. */
function Separator({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div className="flex items-center gap-3 py-0.5 text-[11.5px] text-fg-subtle" data-testid={testId}>
      <span className="h-px grow bg-border" aria-hidden="true" />
      <span>{children}</span>
      <span className="h-px grow bg-border" aria-hidden="true" />
    </div>
  );
}

/** One row of the conversation, as lib/queries/session-timeline.ts reads it from the events. */
export function ConversationRow({ row }: { row: TimelineRow }) {
  switch (row.kind) {
    case "user_message":
      return (
        <div className="grid grid-cols-[4.5rem_1fr] gap-3" data-testid="user-message">
          <Speaker>You</Speaker>
          <div className="min-w-0">
            <p className="text-sm whitespace-pre-wrap">{row.text}</p>
            {row.queued ? (
              <span className="mt-1 inline-block" title="Sent; a runner takes it when the session's run starts">
                <Badge>Queued</Badge>
              </span>
            ) : null}
          </div>
        </div>
      );
    case "agent_message":
      return (
        <div className="grid grid-cols-[4.5rem_1fr] gap-3" data-testid="agent-message">
          <Speaker>Agent</Speaker>
          <AgentMessageText text={row.text} />
        </div>
      );
    case "thinking":
      return (
        <details className="group ml-[5.25rem] text-[13px] text-fg-muted" data-testid="thinking">
          <summary className="w-fit cursor-pointer rounded select-none hover:text-fg">Thinking</summary>
          <p className="mt-1 text-xs">The model reasoned before answering. The event marks that it did; its reasoning is not part of the event.</p>
        </details>
      );
    case "tool":
      return (
        <div className="ml-[5.25rem]">
          <ConversationToolCall row={row} />
        </div>
      );
    case "error":
      return (
        <div data-testid="session-error">
          <Alert tone="danger" title={<span className="font-mono text-[12.5px]">{row.errorType}</span>}>
            <p className="text-[13.5px] whitespace-pre-wrap">{row.message}</p>
            <p className="mt-1 text-xs opacity-90">
              {row.retryStatus ? `${RETRY_STATUS[row.retryStatus] ?? row.retryStatus} ` : ""}
              <a href="#diagnostics-heading" className="underline">
                Diagnostics
              </a>{" "}
              shows the checks behind the common errors.
            </p>
          </Alert>
        </div>
      );
    case "status":
      return (
        <Separator testId="status-change">
          {row.status === "running" ? "Running" : null}
          {row.status === "idle" ? `Idle${row.stopReason ? ` · ${STOP_REASON[row.stopReason] ?? row.stopReason}` : ""}` : null}
          {row.status === "terminated" ? "Terminated" : null}
          {row.status === "rescheduled" ? "Rescheduled" : null}
        </Separator>
      );
    case "usage":
      return (
        <p className="ml-[5.25rem] text-[11.5px] text-fg-subtle" data-testid="model-usage">
          Model request{row.isError ? " (failed)" : ""} · {NUMBER.format(row.usage.input_tokens)} in · {NUMBER.format(row.usage.output_tokens)} out
          {row.usage.cache_read_input_tokens > 0 ? ` · ${NUMBER.format(row.usage.cache_read_input_tokens)} cache read` : ""}
          {row.usage.cache_creation_input_tokens > 0 ? ` · ${NUMBER.format(row.usage.cache_creation_input_tokens)} cache write` : ""}
        </p>
      );
    case "interrupt":
      return <Separator>You interrupted the turn</Separator>;
    case "other":
      return <p className="ml-[5.25rem] font-mono text-[11.5px] text-fg-subtle">{row.type}</p>;
  }
}
