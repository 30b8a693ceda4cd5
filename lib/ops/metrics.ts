import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * The console's Prometheus metrics (served on /metrics when CONSOLE_METRICS_TOKEN is set). Labels
 * are bounded, closed sets: a route template, a status code, an outcome word. None carries an id,
 * so no label can ever name a session, a key or a credential, let alone hold a secret.
 */
export interface ConsoleMetrics {
  registry: Registry;
  httpRequests: Counter<"route" | "method" | "status">;
  httpDuration: Histogram<"route" | "method">;
  /** Model and tool calls through the credential boundary: `door` is base_url or egress. */
  boundaryRequests: Counter<"door" | "outcome">;
  boundaryBytes: Counter<"door" | "direction">;
  /** Time from the request reaching the door until the upstream's response headers came back through it, minus the upstream's own time. */
  boundaryAddedLatency: Histogram<"door">;
  /** Decisions of the boundary's own thread (CONSOLE_BOUNDARY_PORT): `kept` reused, `main` asked of the main thread. */
  boundaryThreadDecisions: Counter<"source">;
  runnerTurns: Counter<"outcome">;
  rateLimitRefusals: Counter<"scope">;
  databasePoolConnections: Gauge<"state">;
  /** Set at boot from the opened database (null at close): the pool gauge reads it at scrape time. */
  watchDatabasePool(read: PoolStats | null): void;
}

/** What the pool gauge reads at scrape time; PGlite has one connection, always "in use" by its owner. */
export type PoolStats = () => { total: number; idle: number; waiting: number };

const METRICS_KEY = Symbol.for("managed-agents-console.metrics");
type MetricsHolder = { [METRICS_KEY]?: ConsoleMetrics };

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

function createMetrics(): ConsoleMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const poolStats: { read: PoolStats | null } = { read: null };
  const metrics: ConsoleMetrics = {
    registry,
    httpRequests: new Counter({
      name: "console_http_requests_total",
      help: "HTTP requests answered, by route template, method and status",
      labelNames: ["route", "method", "status"],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: "console_http_request_duration_seconds",
      help: "Time to answer an HTTP request (until its response ended), by route template and method",
      labelNames: ["route", "method"],
      buckets: DURATION_BUCKETS,
      registers: [registry],
    }),
    boundaryRequests: new Counter({
      name: "console_boundary_requests_total",
      help: "Requests through the credential boundary, by door (base_url, egress) and outcome",
      labelNames: ["door", "outcome"],
      registers: [registry],
    }),
    boundaryBytes: new Counter({
      name: "console_boundary_bytes_total",
      help: "Bytes through the credential boundary, by door and direction (upstream, downstream)",
      labelNames: ["door", "direction"],
      registers: [registry],
    }),
    boundaryAddedLatency: new Histogram({
      name: "console_boundary_added_latency_seconds",
      help: "Latency the boundary adds before the upstream's response headers reach the runtime",
      labelNames: ["door"],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    boundaryThreadDecisions: new Counter({
      name: "console_boundary_thread_decisions_total",
      help: "Requests on the boundary's own thread, by where their decision came from: kept (reused) or main (asked of the main thread)",
      labelNames: ["source"],
      registers: [registry],
    }),
    runnerTurns: new Counter({
      name: "console_runner_turns_total",
      help: "Session turns (runner attempts) that ended, by outcome",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    rateLimitRefusals: new Counter({
      name: "console_rate_limit_refusals_total",
      help: "Requests refused by a rate limit, by scope (api_key, sign_in)",
      labelNames: ["scope"],
      registers: [registry],
    }),
    databasePoolConnections: new Gauge({
      name: "console_database_pool_connections",
      help: "Database connections of this process, by state (total, idle, waiting for one)",
      labelNames: ["state"],
      registers: [registry],
      collect() {
        const stats = poolStats.read?.();
        if (!stats) return;
        this.set({ state: "total" }, stats.total);
        this.set({ state: "idle" }, stats.idle);
        this.set({ state: "waiting" }, stats.waiting);
      },
    }),
    watchDatabasePool(read) {
      poolStats.read = read;
    },
  };
  return metrics;
}

/**
 * The process's one set of metrics. Next bundles its own copy of this module, so the set lives on
 * a well-known global (as lib/instances.ts does): the custom server and the routes count into it alike.
 */
export function metrics(): ConsoleMetrics {
  const holder = globalThis as MetricsHolder;
  holder[METRICS_KEY] ??= createMetrics();
  return holder[METRICS_KEY];
}
