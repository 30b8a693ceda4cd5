"use client";

import { useId, useState, useTransition, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/input";
import { useConversation } from "@/components/sessions/conversation-provider";
import { sendSessionMessageAction } from "@/lib/actions/sessions";

/**
 * The message box: Enter sends, Shift+Enter starts a new line (and Enter while an input method is
 * composing is the composition's). The text stays when a send is refused, beside the reason.
 */
export function ConversationComposer() {
  const { sessionId, readOnlyReason, addEvents } = useConversation();
  const [message, setMessage] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const fieldId = useId();
  const hintId = useId();
  const errorId = useId();

  if (readOnlyReason) {
    return (
      <p className="border-t border-border px-4 py-3 text-[13px] text-fg-muted" data-testid="composer-read-only">
        {readOnlyReason}
      </p>
    );
  }

  function send() {
    const text = message.trim();
    if (text === "" || pending) return;
    setError(null);
    startTransition(async () => {
      const answer = await sendSessionMessageAction(sessionId, text);
      if (answer.ok) {
        addEvents(answer.events, "after");
        setMessage("");
      } else {
        setError(answer.error);
      }
    });
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key !== "Enter" || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    send();
  }

  return (
    <form
      className="border-t border-border px-4 py-3"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <label htmlFor={fieldId} className="sr-only">
        Message
      </label>
      <Textarea
        id={fieldId}
        value={message}
        onChange={(event) => setMessage(event.target.value)}
        onKeyDown={onKeyDown}
        rows={3}
        placeholder="Message the agent…"
        aria-describedby={error ? `${hintId} ${errorId}` : hintId}
        invalid={error !== null}
        className="resize-y font-sans text-sm"
        readOnly={pending}
      />
      <div className="mt-2 flex flex-wrap items-center gap-3">
        <p id={hintId} className="mr-auto text-xs text-fg-subtle">
          Enter sends · Shift+Enter adds a line
        </p>
        <Button type="submit" variant="primary" size="sm" pending={pending} disabled={message.trim() === ""}>
          Send
        </Button>
      </div>
      <div aria-live="assertive" id={errorId}>
        {error ? <p className="mt-1.5 text-[13px] text-danger">{error}</p> : null}
      </div>
    </form>
  );
}
