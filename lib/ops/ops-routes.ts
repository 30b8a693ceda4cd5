import { timingSafeEqual, createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { log } from "@/lib/ops/logger";
import { metrics } from "@/lib/ops/metrics";

/** One readiness check: a name an operator recognises, and whether it passes now. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<boolean>;
}

export interface OpsRoutesOptions {
  readiness: ReadinessCheck[];
  /** CONSOLE_METRICS_TOKEN; undefined leaves /metrics unserved (404). */
  metricsToken: string | undefined;
  /** True once shutdown began: readiness fails so a load balancer stops sending new work. */
  draining(): boolean;
  /** Brings in figures counted elsewhere before a scrape (the boundary's thread, lib/boundary/door-thread.ts). */
  collect?: () => Promise<void>;
}

const CHECK_TIMEOUT_MS = 2_000;
/** The paths this module answers (before Next, so no folder of app/ names them). */
export const OPS_PATHS: ReadonlySet<string> = new Set(["/healthz", "/readyz", "/metrics"]);

function answer(response: ServerResponse, status: number, contentType: string, body: string, extra: Record<string, string> = {}): void {
  response.writeHead(status, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    ...extra,
  });
  response.end(body);
}

const json = (response: ServerResponse, status: number, body: unknown, extra?: Record<string, string>) =>
  answer(response, status, "application/json", JSON.stringify(body), extra);

async function passes(readiness: ReadinessCheck): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS)));
  try {
    return await Promise.race([readiness.check().catch(() => false), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** Compares digests, so neither the token's length nor its prefix shows in the time taken. */
function sameToken(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * The operator's routes, answered by the custom server before Next: `/healthz` (the process
 * answers), `/readyz` (it can serve: each check by name and whether it passes, nothing else) and
 * `/metrics` (Prometheus text, only with CONSOLE_METRICS_TOKEN as a bearer token). None needs a
 * session or an API key, and none says anything about data. Returns false for any other path.
 */
export function createOpsRoutes(options: OpsRoutesOptions): (request: IncomingMessage, response: ServerResponse) => boolean {
  return (request, response) => {
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    if (!OPS_PATHS.has(path)) return false;
    if (request.method !== "GET" && request.method !== "HEAD") {
      json(response, 405, { status: "method_not_allowed" }, { allow: "GET, HEAD" });
      return true;
    }
    if (path === "/healthz") json(response, 200, { status: "ok" });
    else if (path === "/readyz") void ready(response);
    else void serveMetrics(request, response);
    return true;
  };

  async function ready(response: ServerResponse): Promise<void> {
    if (options.draining()) return json(response, 503, { status: "draining" });
    const results = await Promise.all(options.readiness.map(async (readiness) => [readiness.name, await passes(readiness)] as const));
    const failing = results.filter(([, ok]) => !ok).map(([name]) => name);
    if (failing.length > 0) log().warn({ failing }, "readiness check failed");
    json(response, failing.length === 0 ? 200 : 503, {
      status: failing.length === 0 ? "ready" : "not_ready",
      checks: Object.fromEntries(results.map(([name, ok]) => [name, ok ? "ok" : "failing"])),
    });
  }

  async function serveMetrics(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!options.metricsToken) return json(response, 404, { status: "not_found", hint: "set CONSOLE_METRICS_TOKEN to serve metrics" });
    const presented = request.headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim() ?? "";
    if (!sameToken(presented, options.metricsToken)) {
      return json(response, 401, { status: "unauthorized" }, { "www-authenticate": 'Bearer realm="metrics"' });
    }
    await options.collect?.();
    const registry = metrics().registry;
    answer(response, 200, registry.contentType, await registry.metrics());
  }
}
