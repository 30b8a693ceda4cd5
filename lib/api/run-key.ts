import { ConsoleError } from "@/lib/errors";
import type { RequestContext } from "@/lib/server/audit";

/** The API key a run route was called with: only a runner's key (runtime role, checked by the kit) reaches these routes. */
export function runKeyOf(context: RequestContext): string {
  if (context.actor.kind !== "api_key") throw new ConsoleError("permission_error", "The run routes take the runtime API key a run's claim returned");
  return context.actor.id;
}
