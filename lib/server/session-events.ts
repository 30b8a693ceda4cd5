import "server-only";

// LEAD: recordEvents lives in record-events.ts (the sweep records from plain Node); the events service goes here.
export { recordEvents, SESSION_EVENTS_CHANNEL, type NewSessionEvent, type StoredSessionEvent } from "@/lib/server/record-events";
