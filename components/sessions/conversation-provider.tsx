"use client";

import { useRouter } from "next/navigation";
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { useSessionEventStream, type StreamState } from "@/components/sessions/use-session-event-stream";
import { awaitingConfirmation, contentText, latestStatus, mergeEvents, usageOf, type UsageFigures } from "@/lib/queries/session-timeline";
import type { SessionEventObject } from "@/lib/serializers/session-events";

export interface ConversationValue {
  sessionId: string;
  events: SessionEventObject[];
  /** The latest status event's word, or the session's stored status before any. */
  status: string;
  /** Tool calls waiting for a person's allow or deny. */
  awaiting: Set<string>;
  usage: UsageFigures;
  stream: StreamState;
  /** Why this person cannot send (a viewer, an archived session), or null when they can. */
  readOnlyReason: string | null;
  /** The cursor of the events before the first one shown, or null when all are shown. */
  earlierPage: string | null;
  /** The text of the latest agent message that arrived while the page was open, for screen readers. */
  announcement: string;
  addEvents: (events: readonly SessionEventObject[], where: "after" | "before") => void;
  setEarlierPage: (page: string | null) => void;
}

const ConversationContext = createContext<ConversationValue | null>(null);

export function useConversation(): ConversationValue {
  const value = useContext(ConversationContext);
  if (!value) throw new Error("useConversation is used outside ConversationProvider");
  return value;
}

/** Status changes end a turn or start one: the server-rendered parts (usage, diagnostics) follow. */
const REFRESH_ON = new Set(["session.status_idle", "session.status_terminated", "session.error"]);

/**
 * One session's conversation state for the whole page, so the header's status and the conversation
 * card read the same events: the server's first page, earlier pages, the live stream and what this
 * page sent, each event once.
 */
export function ConversationProvider({
  sessionId,
  initialEvents,
  initialEarlierPage,
  storedStatus,
  storedUsage,
  readOnlyReason,
  children,
}: {
  sessionId: string;
  initialEvents: SessionEventObject[];
  initialEarlierPage: string | null;
  storedStatus: string;
  storedUsage: Partial<UsageFigures>;
  readOnlyReason: string | null;
  children: ReactNode;
}) {
  const router = useRouter();
  const [events, setEvents] = useState(initialEvents);
  const [earlierPage, setEarlierPage] = useState(initialEarlierPage);
  const [announcement, setAnnouncement] = useState("");

  // A server refresh (after a send, or a status change) brings the newest page again: merged while
  // rendering (React's pattern for state that follows a prop), so no render shows it missing.
  const [mergedInitial, setMergedInitial] = useState(initialEvents);
  if (mergedInitial !== initialEvents) {
    setMergedInitial(initialEvents);
    setEvents((current) => mergeEvents(current, initialEvents, "after"));
  }

  const addEvents = useCallback((added: readonly SessionEventObject[], where: "after" | "before") => {
    setEvents((current) => mergeEvents(current, added, where));
  }, []);

  const onStreamEvent = useCallback(
    (event: SessionEventObject) => {
      addEvents([event], "after");
      if (event.type === "agent.message") {
        setAnnouncement(contentText("content" in event ? event.content : null));
      }
      if (REFRESH_ON.has(event.type)) router.refresh();
    },
    [addEvents, router],
  );
  const stream = useSessionEventStream(sessionId, initialEvents.at(-1)?.id ?? null, onStreamEvent);

  const value = useMemo<ConversationValue>(() => {
    // The stored sum covers events not loaded; the loaded ones may be newer than the stored sum.
    const loaded = usageOf(events);
    const larger = (key: keyof UsageFigures) => Math.max(loaded[key], storedUsage[key] ?? 0);
    const usage: UsageFigures = {
      input_tokens: larger("input_tokens"),
      output_tokens: larger("output_tokens"),
      cache_read_input_tokens: larger("cache_read_input_tokens"),
      cache_creation_input_tokens: larger("cache_creation_input_tokens"),
    };
    return {
      sessionId,
      events,
      status: latestStatus(events) ?? storedStatus,
      awaiting: awaitingConfirmation(events),
      usage,
      stream,
      readOnlyReason,
      earlierPage,
      announcement,
      addEvents,
      setEarlierPage,
    };
  }, [sessionId, events, storedStatus, storedUsage, stream, readOnlyReason, earlierPage, announcement, addEvents]);

  return <ConversationContext.Provider value={value}>{children}</ConversationContext.Provider>;
}
