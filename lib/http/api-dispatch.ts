import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire, register } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { findRouteFiles, handlerOf, loadRouteModules, routeContext, routeTable, type RouteModule } from "@/lib/http/api-routes";
import { discardUnreadBody, toFetchRequest, writeFetchResponse } from "@/lib/http/fetch-bridge";
import { API_SECURITY_HEADERS } from "@/lib/http/security-headers";
import { log } from "@/lib/ops/logger";

/**
 * `/v1/*` served by scripts/start.ts itself: the request is matched against app/v1's route files
 * (lib/http/api-routes.ts), converted to a Fetch Request, handed to the route module's own method
 * export, and its Response written back (lib/http/fetch-bridge.ts). The same handlers Next would
 * call, without Next's router and app-route pipeline, which cost 2–3× the handler on a list call.
 *
 * The modules run in this process's copy of lib/ (tsx), not Next's bundle: whatever state they share
 * with the server actions and pages Next serves lives on globalThis (lib/instances.ts, lib/ops/*,
 * lib/server/api-key-memory.ts), so both copies see one database, one key memory, one set of metrics.
 */

/** Answers `request` when it is a /v1 route this table serves (true), or leaves it for Next (false). */
export type ApiDispatch = (incoming: IncomingMessage, outgoing: ServerResponse, requestId: string) => boolean;

export interface ApiDispatchOptions {
  /** The app folder: app/v1 below it is walked for route.ts files. */
  appDir: string;
  /** Origin of the Request URL a handler sees (handlers read only its path and query; publicOriginFrom reads headers). */
  origin: string;
}

/**
 * What a handler that throws instead of answering sends. apiRoute (lib/api/route.ts) turns every
 * error into the envelope itself, so this is a bug's last stop: logged, and a 500 in the envelope.
 */
function failure(error: unknown, requestId: string): Response {
  log().error({ request_id: requestId, problem: error instanceof Error ? error.message : String(error) }, "a /v1 handler threw instead of answering");
  const body = { type: "error", error: { type: "api_error", message: "Internal server error" }, request_id: requestId };
  return Response.json(body, { status: 500, headers: { ...API_SECURITY_HEADERS, "request-id": requestId } });
}

let markerHookRegistered = false;

/**
 * Services carry `import "server-only"`, whose default export throws outside a React server bundle
 * (Next resolves it with the react-server condition). This process is server code too: resolve the
 * marker to its empty variant, as Next and the unit tests (scripts/vitest.config.ts) do.
 */
function acceptServerOnlyMarker(): void {
  if (markerHookRegistered) return;
  markerHookRegistered = true;
  const empty = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve("server-only")), "empty.js")).href;
  const hook = `export async function resolve(specifier, context, next) {
  return specifier === "server-only" ? { url: ${JSON.stringify(empty)}, shortCircuit: true } : next(specifier, context);
}`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
}

/**
 * Loads app/v1's route modules (at boot, once) and returns the dispatcher. The modules are imported
 * here, after the marker hook is in place: a static import of a service would be resolved before it.
 */
export async function createApiDispatch(options: ApiDispatchOptions): Promise<ApiDispatch> {
  acceptServerOnlyMarker();
  const table = routeTable(findRouteFiles(options.appDir, join(options.appDir, "v1")));
  const modules = await loadRouteModules(table, async (file) => (await import(pathToFileURL(join(options.appDir, file)).href)) as RouteModule);

  return (incoming, outgoing, requestId) => {
    const url = incoming.url ?? "/";
    const query = url.indexOf("?");
    const match = table.match(query === -1 ? url : url.slice(0, query));
    if (!match) return false;
    const method = incoming.method ?? "GET";
    const routeModule = modules.get(match.route.file);
    const handler = routeModule && handlerOf(routeModule, method);
    if (!handler) return false;

    // Next aborts the handler's request signal when the client goes: an event stream stops on it.
    const aborter = new AbortController();
    outgoing.once("close", () => {
      if (!outgoing.writableFinished) aborter.abort();
    });
    const request = toFetchRequest(incoming, options.origin, aborter.signal);
    (async () => handler(request, routeContext(match)))()
      .catch((error: unknown) => failure(error, requestId))
      .then(async (response) => {
        if (!(await discardUnreadBody(incoming, request))) outgoing.shouldKeepAlive = false;
        await writeFetchResponse(response, outgoing, method);
      })
      .catch(() => outgoing.destroy());
    return true;
  };
}
