import "server-only";
import { loadOrNotFound } from "@/lib/page-resource";
import { serializeSession } from "@/lib/serializers/sessions";
import { getSession } from "@/lib/server/sessions";

/** The session as the API shows it, or the console's 404 page (the session page and its edit page). */
export function loadSession(sessionId: string) {
  return loadOrNotFound(sessionId, async (id) => serializeSession(await getSession(id)));
}
