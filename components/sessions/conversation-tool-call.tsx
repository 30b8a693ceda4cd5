"use client";

import { useId, useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { useConversation } from "@/components/sessions/conversation-provider";
import { confirmToolUseAction } from "@/lib/actions/sessions";
import type { TimelineRow } from "@/lib/queries/session-timeline";

type ToolRow = Extract<TimelineRow, { kind: "tool" }>;

function inputText(input: unknown): string {
  if (input === null || input === undefined) return "";
  return typeof input === "string" ? input : JSON.stringify(input, null, 2);
}

/** A tool call, its confirmation and its result in one box; Allow / Deny while the agent waits on it. */
export function ConversationToolCall({ row }: { row: ToolRow }) {
  const { readOnlyReason } = useConversation();
  const input = inputText(row.input);
  return (
    <div
      className="rounded-md border border-border bg-surface-2/40 text-[13px]"
      data-testid="tool-call"
      role="group"
      aria-label={`Tool call ${row.name ?? ""}`.trim()}
    >
      <div className="flex flex-wrap items-center gap-2 border-b border-border px-3 py-1.5">
        <span className="text-xs font-medium text-fg-muted">Tool call</span>
        <span className="font-mono text-[12.5px] font-medium">{row.name ?? "(call on an earlier page)"}</span>
        {row.permission === "ask" ? <Badge>asks first</Badge> : null}
        {row.permission === "deny" ? <Badge tone="danger">refused by policy</Badge> : null}
        {row.decision ? (
          <Badge tone={row.decision.result === "allow" ? "success" : "danger"}>{row.decision.result === "allow" ? "Allowed" : "Denied"}</Badge>
        ) : null}
        {row.awaitingConfirmation ? (
          <Badge tone="warning" dot>
            Waiting for confirmation
          </Badge>
        ) : null}
      </div>
      {input ? <pre className="max-h-48 overflow-auto px-3 py-2 font-mono text-[12px] whitespace-pre-wrap text-fg">{input}</pre> : null}
      {row.decision?.denyMessage ? <p className="border-t border-border px-3 py-1.5 text-fg-muted">Denied: {row.decision.denyMessage}</p> : null}
      {row.awaitingConfirmation && !readOnlyReason ? <ConfirmControls toolUseId={row.id} name={row.name ?? "this tool"} /> : null}
      {row.result ? (
        <div className="border-t border-border px-3 py-2" data-testid="tool-result">
          <p className={row.result.isError ? "text-xs font-medium text-danger" : "text-xs font-medium text-fg-muted"}>
            {row.result.isError ? "Error" : "Result"}
          </p>
          <pre className="mt-1 max-h-48 overflow-auto font-mono text-[12px] whitespace-pre-wrap">{row.result.text || "(no output)"}</pre>
        </div>
      ) : null}
    </div>
  );
}

function ConfirmControls({ toolUseId, name }: { toolUseId: string; name: string }) {
  const { sessionId, addEvents } = useConversation();
  const [pending, startTransition] = useTransition();
  const [choice, setChoice] = useState<"allow" | "deny" | null>(null);
  const [denying, setDenying] = useState(false);
  const [denyMessage, setDenyMessage] = useState("");
  const [error, setError] = useState<string | null>(null);
  const denyId = useId();

  function decide(result: "allow" | "deny") {
    setChoice(result);
    setError(null);
    startTransition(async () => {
      const answer = await confirmToolUseAction(sessionId, toolUseId, result, result === "deny" ? denyMessage : null);
      if (answer.ok) addEvents(answer.events, "after");
      else setError(answer.error);
    });
  }

  return (
    <div className="border-t border-border px-3 py-2">
      {denying ? (
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            decide("deny");
          }}
        >
          <label htmlFor={denyId} className="grow text-xs font-medium text-fg-muted">
            Why not? (optional, the agent reads it)
            <Input
              id={denyId}
              value={denyMessage}
              onChange={(event) => setDenyMessage(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === "Escape") setDenying(false);
              }}
              className="mt-1 font-normal"
              autoFocus
            />
          </label>
          <Button type="submit" variant="danger" size="sm" pending={pending && choice === "deny"}>
            Deny {name}
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setDenying(false)} disabled={pending}>
            Cancel
          </Button>
        </form>
      ) : (
        <div className="flex flex-wrap items-center gap-2">
          <span className="mr-auto text-fg-muted">The agent waits for your decision before it runs this tool.</span>
          <Button variant="primary" size="sm" pending={pending && choice === "allow"} disabled={pending} onClick={() => decide("allow")}>
            Allow
          </Button>
          <Button size="sm" disabled={pending} onClick={() => setDenying(true)}>
            Deny…
          </Button>
        </div>
      )}
      <div aria-live="assertive">{error ? <p className="mt-1.5 text-xs text-danger">{error}</p> : null}</div>
    </div>
  );
}
