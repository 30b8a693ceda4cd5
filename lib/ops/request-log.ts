import type { IncomingMessage, ServerResponse } from "node:http";
import { log } from "@/lib/ops/logger";
import { metrics } from "@/lib/ops/metrics";
import { takeRequestActor } from "@/lib/ops/request-actors";
import { routeTemplateOf } from "@/lib/ops/route-template";

/** Routes whose every request would drown the log at info: assets and probes (still counted in metrics). */
const QUIET_ROUTES = new Set(["/_next/*", "/healthz", "/readyz", "/metrics", "/icon.svg", "/favicon.ico"]);

export interface RequestLog {
  /** Counts the request in the metrics and writes its one log line when its response ends or is cut. */
  observe(request: IncomingMessage, response: ServerResponse, requestId: string): void;
  /** Requests not yet answered in full (long model streams among them). */
  inFlight(): number;
  /** Resolves when no request is in flight. */
  drained(): Promise<void>;
}

/** Where a request's figures go: this process's HTTP metrics, or (the door thread's) a report to the main thread. */
export type CountRequest = (route: string, method: string, status: number, seconds: number) => void;

export const countRequestInMetrics: CountRequest = (route, method, status, seconds) => {
  metrics().httpRequests.inc({ route, method, status: String(status) });
  metrics().httpDuration.observe({ route, method }, seconds);
};

/**
 * One line per request (request id, method, route template, status, duration, actor) and the HTTP
 * metrics. The route is a template (lib/ops/route-template.ts), so neither the log nor a label
 * carries a path's ids beyond the request id; no header, query or body is ever read here.
 */
export function createRequestLog(literalSegments: ReadonlySet<string>, countRequest: CountRequest = countRequestInMetrics): RequestLog {
  let active = 0;
  let waiters: Array<() => void> = [];
  const settle = () => {
    if (active > 0) return;
    for (const wake of waiters) wake();
    waiters = [];
  };
  return {
    observe(request, response, requestId) {
      const startedAt = performance.now();
      active += 1;
      response.once("close", () => {
        active -= 1;
        const seconds = (performance.now() - startedAt) / 1000;
        const route = routeTemplateOf((request.url ?? "/").split("?")[0] ?? "/", literalSegments);
        const method = request.method ?? "GET";
        const status = response.statusCode;
        countRequest(route, method, status, seconds);
        const line = {
          request_id: requestId,
          method,
          route,
          status,
          duration_ms: Math.round(seconds * 10_000) / 10,
          actor: takeRequestActor(requestId),
          // The client went away (or the server cut it) before the whole response was sent.
          ...(response.writableFinished ? {} : { aborted: true }),
        };
        if (QUIET_ROUTES.has(route)) log().debug(line, "request");
        else log().info(line, "request");
        settle();
      });
    },
    inFlight: () => active,
    drained: () => (active === 0 ? Promise.resolve() : new Promise((wake) => waiters.push(wake))),
  };
}
