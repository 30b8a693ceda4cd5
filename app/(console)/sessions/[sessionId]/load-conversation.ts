import "server-only";
import { SESSION_EVENTS_PAGE_SIZE } from "@/lib/queries/session-events";
import { serializeSessionEvent, type SessionEventObject } from "@/lib/serializers/session-events";
import { listSessionEvents } from "@/lib/server/session-events";

export interface ConversationStart {
  /** The latest page of events, oldest first. */
  events: SessionEventObject[];
  /** The newest-first cursor of the events before them, for "Load earlier"; null when there are none. */
  earlierPage: string | null;
}

/** The conversation as the page first shows it: the newest events, read newest first and turned around. */
export async function loadConversation(sessionId: string): Promise<ConversationStart> {
  const page = await listSessionEvents(sessionId, { limit: SESSION_EVENTS_PAGE_SIZE, order: "desc" });
  return { events: page.items.map(serializeSessionEvent).reverse(), earlierPage: page.nextPage };
}
