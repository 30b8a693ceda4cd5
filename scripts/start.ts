/**
 * `npm start`: builds the app when the build is missing or older than the sources, boots the
 * console (database, migrations, master key, first API key) in this process, then serves Next on
 * HOST:PORT. Booting here rather than inside Next keeps the embedded database owned by exactly one
 * process and lets migrations finish before the first request.
 */
import "@/lib/debug-guard";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import path from "node:path";
import next from "next";
import { requireAuthSecretConfig } from "@/lib/auth/secret";
import { bootConsole } from "@/lib/boot";
import { ConfigError, loadEnv, type ConsoleEnv } from "@/lib/env";
import { BOUNDARY_PREFIX, createBaseUrlBoundary, type ResolveTarget } from "@/lib/boundary/base-url-door";
import { resolveBoundaryTarget } from "@/lib/boundary/base-url-target";
import { startDoorThread, type DoorThread } from "@/lib/boundary/door-thread";
import { API_SECURITY_HEADERS } from "@/lib/http/security-headers";
import { incomingSettings, prepareIncoming } from "@/lib/http/incoming";
import { staticBrotliFor } from "@/lib/http/static-brotli";
import { createApiDispatch } from "@/lib/http/api-dispatch";
import { newId } from "@/lib/ids";
import { boundaryLookup } from "@/lib/instances";
import { openCredentialSecret } from "@/lib/server/credential-secrets";
import { createEgressProxy, type EgressProxy } from "@/lib/boundary/egress-proxy";
import { egressAuthoritySource } from "@/lib/server/egress-authority";
import { createEgressLookup, egressGrantResolver } from "@/lib/boundary/egress-grants";
import { createMcpTokenRefresher } from "@/lib/server/mcp-oauth-refresh";
import { readinessChecks } from "@/lib/server/readiness";
import type { BoundaryObserver } from "@/lib/boundary/observer";
import type { EgressCertificateAuthority } from "@/lib/boundary/egress-ca";
import { componentLog, log } from "@/lib/ops/logger";
import { metrics } from "@/lib/ops/metrics";
import { createOpsRoutes, OPS_PATHS } from "@/lib/ops/ops-routes";
import { countRequestInMetrics, createRequestLog } from "@/lib/ops/request-log";
import { literalRouteSegments } from "@/lib/ops/route-template";
import { beginShutdown } from "@/lib/ops/shutdown";
import { startCpuProfile } from "@/lib/ops/cpu-profile";
import { buildIfStale } from "./build-if-stale";
import { startConsoleRuns, type ConsoleRuns } from "./runs";

const root = path.resolve(import.meta.dirname, "..");
const args = new Set(process.argv.slice(2));
const dev = args.has("--dev");

/**
 * Next answers a path it cannot percent-decode with a bare 500 before any route runs; such a path
 * is the client's mistake, so it gets a 400 in the API's envelope here instead.
 */
function rejectUndecodablePath(request: IncomingMessage, response: ServerResponse, requestId: string): boolean {
  try {
    decodeURIComponent((request.url ?? "/").split("?")[0] ?? "/");
    return false;
  } catch {
    const body = JSON.stringify({
      type: "error",
      error: { type: "invalid_request_error", message: "The request path is not valid percent-encoded UTF-8" },
      request_id: requestId,
    });
    response.writeHead(400, { "content-type": "application/json", "request-id": requestId, ...API_SECURITY_HEADERS });
    response.end(body);
    return true;
  }
}

function printBanner(
  url: string,
  ports: { egressUrl: string | null; boundaryUrl: string | null },
  runs: ConsoleRuns,
  booted: Awaited<ReturnType<typeof bootConsole>>,
): void {
  const { egressUrl, boundaryUrl } = ports;
  const lines = [`Console ready at ${url}`, `  database: ${booted.database.kind} (${booted.database.location})`];
  lines.push(`  credential boundary: ${boundaryUrl ? `${boundaryUrl}/boundary/ (its own thread)` : `${url}/boundary/`} (runtimes in boundary mode)`);
  lines.push(egressUrl ? `  egress proxy: ${egressUrl} (runtimes in egress mode)` : "  egress proxy: off (CONSOLE_EGRESS_PORT=0)");
  lines.push(runs.summary);
  if (booted.appliedMigrations.length > 0) lines.push(`  migrations applied: ${booted.appliedMigrations.join(", ")}`);
  lines.push(`  master keys: ${booted.masterKeys}`);
  if (booted.generatedMasterKeyFile) {
    lines.push(
      `  WARNING: no CONSOLE_MASTER_KEY was set, so a master key was generated into ${booted.generatedMasterKeyFile}.`,
      "           Fine for a local console; production must set CONSOLE_MASTER_KEY from a secret store.",
    );
  }
  if (booted.generatedAuthSecretFile) lines.push(`  session secret: generated into ${booted.generatedAuthSecretFile} (set AUTH_SECRET to choose one)`);
  if (booted.bootstrapKey?.fromEnv) lines.push("  owner API key: created from CONSOLE_BOOTSTRAP_API_KEY");
  if (booted.bootstrapOwnerEmail) lines.push(`  admin UI owner: ${booted.bootstrapOwnerEmail} (from ADMIN_EMAIL); sign in at ${url}/sign-in`);
  else if (booted.setupOpen) lines.push(`  admin UI: no user yet; create the first owner at ${url}/setup (or set ADMIN_EMAIL and ADMIN_PASSWORD)`);
  console.log(lines.join("\n"));
  if (booted.bootstrapKey && !booted.bootstrapKey.fromEnv) {
    // The one moment a key is shown: the database keeps only its hash.
    console.log(
      [
        "",
        "  ┌─ Owner API key (shown once; store it now) ─────────────────────────────",
        `  │ ${booted.bootstrapKey.key}`,
        '  └─ Use it with the SDK: new Anthropic({ baseURL: "' + url + '", apiKey: "s0_…" })',
        "",
      ].join("\n"),
    );
  }
}

/**
 * The egress proxy (lib/boundary/egress-proxy.ts) on CONSOLE_EGRESS_PORT: its grants come from the
 * database through a prepared lookup, its CA from the database's sealed row (created on the first start).
 */
async function startEgressProxy(
  env: ConsoleEnv,
  booted: Awaited<ReturnType<typeof bootConsole>>,
  authority: () => Promise<EgressCertificateAuthority>,
): Promise<EgressProxy> {
  await authority();
  const proxy = createEgressProxy({
    authenticate: egressGrantResolver({
      lookup: await createEgressLookup(booted.database),
      privateEndpoints: env.CONSOLE_PRIVATE_ENDPOINTS,
      openSecret: openCredentialSecret,
      refreshMcpToken: createMcpTokenRefresher(),
    }),
    authority,
    privateEndpoints: env.CONSOLE_PRIVATE_ENDPOINTS,
    observer: boundaryObserver("egress"),
  });
  await new Promise<void>((resolveListen, rejectListen) => {
    proxy.server.once("error", (error: NodeJS.ErrnoException) =>
      rejectListen(
        error.code === "EADDRINUSE"
          ? new ConfigError(
              `CONSOLE_EGRESS_PORT ${env.CONSOLE_EGRESS_PORT} is in use on ${env.HOST}: set CONSOLE_EGRESS_PORT to a free port, or to 0 to run without the egress proxy`,
            )
          : error,
      ),
    );
    proxy.server.listen(env.CONSOLE_EGRESS_PORT, env.HOST, () => resolveListen());
  });
  return proxy;
}

/**
 * The base-URL door on CONSOLE_BOUNDARY_PORT, on a thread of its own (lib/boundary/door-thread.ts),
 * deciding through `resolveTarget` as the door on the console's port does.
 */
async function startBoundaryThread(env: ConsoleEnv, booted: Awaited<ReturnType<typeof bootConsole>>, resolveTarget: ResolveTarget): Promise<DoorThread> {
  try {
    return await startDoorThread({
      host: env.HOST,
      port: env.CONSOLE_BOUNDARY_PORT,
      privateEndpoints: [...env.CONSOLE_PRIVATE_ENDPOINTS],
      resolveTarget,
      coherence: booted.database.rememberedRows,
      counters: {
        observer: boundaryObserver("base_url"),
        countRequest: countRequestInMetrics,
        countDecisions: (source, count) => metrics().boundaryThreadDecisions.inc({ source }, count),
      },
      onTrouble: (problem) => log().error({ component: "boundary" }, problem),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    throw new ConfigError(
      `CONSOLE_BOUNDARY_PORT ${env.CONSOLE_BOUNDARY_PORT} is in use on ${env.HOST}: set CONSOLE_BOUNDARY_PORT to a free port, or to 0 to serve the boundary on the console's port alone`,
    );
  }
}

/** A front door's reports, as the console's metrics (lib/ops/metrics.ts). */
function boundaryObserver(door: "base_url" | "egress"): BoundaryObserver {
  const { boundaryRequests, boundaryBytes, boundaryAddedLatency } = metrics();
  return {
    outcome: (outcome) => boundaryRequests.inc({ door, outcome }),
    bytes: (direction, count) => boundaryBytes.inc({ door, direction }, count),
    addedLatency: (seconds) => boundaryAddedLatency.observe({ door }, seconds),
  };
}

/** Resolves after `ms`, or at once when `done` settles first; says which came first. */
async function within(done: Promise<void>, ms: number): Promise<"done" | "timed_out"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timed_out">((resolve) => (timer = setTimeout(() => resolve("timed_out"), ms)));
  const outcome = await Promise.race([done.then(() => "done" as const), timeout]);
  clearTimeout(timer);
  return outcome;
}

async function main(): Promise<void> {
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  const env = loadEnv();
  requireAuthSecretConfig(env);
  if (!dev && !args.has("--no-build")) buildIfStale(console.log);

  const booted = await bootConsole(env, (line) => console.log(`  ${line}`));
  // /v1 from the route modules themselves, ahead of Next (lib/http/api-dispatch.ts), loaded while
  // Next prepares. Not under `npm run dev`, where Next recompiles a route as it is edited.
  const host = env.HOST.includes(":") ? `[${env.HOST}]` : env.HOST;
  const apiDispatch = dev ? Promise.resolve(null) : createApiDispatch({ appDir: path.join(root, "app"), origin: `http://${host}:${env.PORT}` });
  const app = next({ dev, dir: root, hostname: env.HOST, port: env.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  const incoming = incomingSettings(env, dev);
  const serveStaticBrotli = staticBrotliFor(root, dev);
  const targetOptions = { lookup: boundaryLookup(), openSecret: openCredentialSecret, privateEndpoints: env.CONSOLE_PRIVATE_ENDPOINTS };
  const resolveTarget: ResolveTarget = (sessionId, placeholder) => resolveBoundaryTarget(targetOptions, sessionId, placeholder);
  const serveBoundary = createBaseUrlBoundary({ resolveTarget, privateEndpoints: env.CONSOLE_PRIVATE_ENDPOINTS, observer: boundaryObserver("base_url") });
  const doorThread = env.CONSOLE_BOUNDARY_PORT === 0 ? null : await startBoundaryThread(env, booted, resolveTarget);
  const egressAuthority = env.CONSOLE_EGRESS_PORT === 0 ? null : egressAuthoritySource();
  metrics().watchDatabasePool(booted.database.poolStats);
  const serveApi = await apiDispatch;
  // The app's folders, and the operator's paths answered here before Next (else /readyz logs as /:id).
  const requestLog = createRequestLog(new Set([...literalRouteSegments(path.join(root, "app")), ...[...OPS_PATHS].map((opsPath) => opsPath.slice(1))]));
  let draining = false;
  const serveOps = createOpsRoutes({
    readiness: await readinessChecks({ root, egressAuthority, boundaryThread: doorThread }),
    metricsToken: env.CONSOLE_METRICS_TOKEN,
    draining: () => draining,
    collect: doorThread?.collect,
  });
  const server = createServer((request, response) => {
    // One id per request: its log line, its response's request-id and its audit entry share it.
    const requestId = newId("req");
    requestLog.observe(request, response, requestId);
    // The credential boundary needs nothing from Next, and sits on the path of every model call. It
    // sets its answer's headers, the request id among them, in one go (see createBaseUrlBoundary).
    if (request.url?.startsWith(BOUNDARY_PREFIX)) {
      serveBoundary(request, response, requestId).catch(() => response.destroy());
      return;
    }
    response.setHeader("request-id", requestId);
    if (serveOps(request, response)) return;
    if (rejectUndecodablePath(request, response, requestId)) return;
    // The client address (through CONSOLE_TRUSTED_PROXIES), the request id and the security headers (lib/http).
    prepareIncoming(request, response, incoming, requestId);
    // The build's JS and CSS precompressed with brotli when the client takes it (lib/http/static-brotli.ts).
    if (serveStaticBrotli(request, response)) return;
    if (serveApi?.(request, response, requestId)) return;
    void handle(request, response);
  });

  const egress = egressAuthority ? await startEgressProxy(env, booted, egressAuthority) : null;
  // Workers reach this console on loopback when it listens on every address.
  const ownHost = env.HOST === "0.0.0.0" || env.HOST === "::" ? "127.0.0.1" : env.HOST.includes(":") ? `[${env.HOST}]` : env.HOST;
  const runs = await startConsoleRuns(env, `http://${ownHost}:${env.PORT}`, componentLog("runs"));

  const graceMs = env.CONSOLE_SHUTDOWN_GRACE_SECONDS * 1000;
  let writeCpuProfile: (() => Promise<void>) | null = null;
  /**
   * A graceful stop: /readyz fails at once, so a load balancer sends no new work; runs in this
   * process end (each is retried by another process, or after a restart) while the server still
   * takes their reports; then no new connection is accepted, session event streams end (their
   * clients resume elsewhere with Last-Event-ID), and requests in flight — model streams through
   * the boundary and the egress proxy among them — get up to CONSOLE_SHUTDOWN_GRACE_SECONDS to
   * finish before the rest are cut and the database is closed.
   */
  const stop = async (signal: string) => {
    if (draining) return;
    draining = true;
    await writeCpuProfile?.().catch((error: unknown) =>
      log().error({ problem: error instanceof Error ? error.message : String(error) }, "writing the CPU profile failed"),
    );
    log().info({ signal, grace_seconds: env.CONSOLE_SHUTDOWN_GRACE_SECONDS }, "shutting down: finishing requests in flight");
    await runs.stop().catch((error: unknown) => log().error({ problem: error instanceof Error ? error.message : String(error) }, "stopping the runs failed"));
    server.close();
    server.closeIdleConnections();
    beginShutdown();
    const deadline = Date.now() + graceMs;
    const [served, proxied, forwarded] = await Promise.all([
      within(requestLog.drained(), graceMs),
      egress ? within(egress.drained(), graceMs) : Promise.resolve("done" as const),
      doorThread ? within(doorThread.drained(), graceMs) : Promise.resolve("done" as const),
    ]);
    log().info(
      {
        in_flight: requestLog.inFlight(),
        cut: served === "timed_out" || proxied === "timed_out" || forwarded === "timed_out",
        waited_ms: graceMs - Math.max(0, deadline - Date.now()),
      },
      served === "done" && proxied === "done" && forwarded === "done"
        ? "every request in flight finished"
        : "grace period over: cutting the requests still in flight",
    );
    server.closeAllConnections();
    await egress?.close();
    await doorThread?.close();
    await app.close().catch(() => undefined);
    await booted.close();
    log().info("database closed; the console stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  // A profiling aid (lib/ops/cpu-profile.ts): from here, so the boot is not in it; written when the server stops.
  const cpuProfileFile = process.env.CONSOLE_CPU_PROFILE?.trim();
  writeCpuProfile = cpuProfileFile ? await startCpuProfile(path.resolve(cpuProfileFile)) : null;
  server.listen(env.PORT, env.HOST, () => {
    const ports = { egressUrl: egress && `http://${host}:${env.CONSOLE_EGRESS_PORT}`, boundaryUrl: doorThread && `http://${host}:${doorThread.port}` };
    printBanner(`http://${host}:${env.PORT}`, ports, runs, booted);
  });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`Cannot start the console: ${error.message}`);
  } else {
    console.error("Cannot start the console:", error);
  }
  process.exit(1);
});
