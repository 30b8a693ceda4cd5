/** A stored session event as the API returns it: the contract's shape, id and processed_at first. */
export function serializeSessionEvent(event: { id: string; type: string; payload: unknown; processedAt: Date | null }) {
  const payload =
    event.payload !== null && typeof event.payload === "object" && !Array.isArray(event.payload) ? (event.payload as Record<string, unknown>) : {};
  // The payload was validated on the way in and never holds id, type or processed_at (recordEvents strips them).
  return { ...payload, id: event.id, type: event.type, processed_at: event.processedAt?.toISOString() ?? null };
}

export type SessionEventObject = ReturnType<typeof serializeSessionEvent>;
