"use client";

import { useEffect, useRef, useState } from "react";
import { readSessionEventStream, StreamEnded } from "@/lib/queries/session-events";
import type { SessionEventObject } from "@/lib/serializers/session-events";

export type StreamState = "connecting" | "live" | "reconnecting" | "stopped";

const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 15_000;
/** Answers that a retry cannot change: signed out, no longer allowed, the session is gone. */
const FINAL_STATUSES = new Set([401, 403, 404]);

/**
 * Follows the session's event stream for as long as the page is open. Each reconnect sends the
 * id of the last event received as Last-Event-ID, so the server resumes right after it: a dropped
 * connection loses nothing, and the page's merge by id drops anything seen twice.
 */
export function useSessionEventStream(sessionId: string, lastEventId: string | null, onEvent: (event: SessionEventObject) => void): StreamState {
  const [state, setState] = useState<StreamState>("connecting");
  const lastSeen = useRef(lastEventId);
  const deliver = useRef(onEvent);
  useEffect(() => {
    deliver.current = onEvent;
  }, [onEvent]);

  useEffect(() => {
    const abort = new AbortController();
    let retryMs = RETRY_FIRST_MS;
    async function follow(): Promise<void> {
      while (!abort.signal.aborted) {
        try {
          await readSessionEventStream(sessionId, {
            lastEventId: lastSeen.current,
            signal: abort.signal,
            onEvent: (event) => {
              setState("live");
              retryMs = RETRY_FIRST_MS;
              lastSeen.current = event.id;
              deliver.current(event);
            },
            onOpen: () => setState("live"),
          });
        } catch (error) {
          if (abort.signal.aborted) return;
          if (error instanceof StreamEnded && error.status !== null && FINAL_STATUSES.has(error.status)) {
            setState("stopped");
            return;
          }
        }
        setState("reconnecting");
        await new Promise((resolve) => setTimeout(resolve, retryMs));
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
      }
    }
    void follow();
    return () => abort.abort();
  }, [sessionId]);

  return state;
}
