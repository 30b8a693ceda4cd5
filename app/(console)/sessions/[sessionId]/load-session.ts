import "server-only";
import { notFound } from "next/navigation";
import { ConsoleError } from "@/lib/errors";
import { getSession } from "@/lib/server/sessions";
import { serializeSession } from "@/lib/validation/sessions";

export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** The session as the API shows it, or the console's 404 page. */
export async function loadSession(sessionId: string) {
  if (!SESSION_ID_PATTERN.test(sessionId)) notFound();
  try {
    return serializeSession(await getSession(sessionId));
  } catch (error) {
    if (error instanceof ConsoleError && error.type === "not_found_error") notFound();
    throw error;
  }
}
