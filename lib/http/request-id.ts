import { REQUEST_ID_HEADER } from "@/lib/http/headers";
import { newId } from "@/lib/ids";

const REQUEST_ID = /^req_[A-Za-z0-9]{24}$/;

/**
 * The id scripts/start.ts gave this request, so the response, the log line and the audit entry
 * agree; a fresh one where no server stamped it (tests that call a handler directly).
 */
export function requestIdOf(headers: { get(name: string): string | null }): string {
  const stamped = headers.get(REQUEST_ID_HEADER);
  return stamped && REQUEST_ID.test(stamped) ? stamped : newId("req");
}
