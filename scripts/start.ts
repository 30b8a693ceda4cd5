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
import { BOUNDARY_PREFIX, createBaseUrlBoundary } from "@/lib/boundary/base-url-door";
import { API_SECURITY_HEADERS } from "@/lib/http/security-headers";
import { incomingSettings, prepareIncoming } from "@/lib/http/incoming";
import { newId } from "@/lib/ids";
import { boundaryLookup } from "@/lib/instances";
import { openCredentialSecret } from "@/lib/server/credential-secrets";
import { createEgressProxy, type EgressProxy } from "@/lib/boundary/egress-proxy";
import { egressAuthoritySource } from "@/lib/server/egress-authority";
import { createEgressLookup, egressGrantResolver } from "@/lib/boundary/egress-grants";
import { createMcpTokenRefresher } from "@/lib/server/mcp-oauth-refresh";
import { buildIfStale } from "./build-if-stale";
import { startConsoleRuns, type ConsoleRuns } from "./runs";

const root = path.resolve(import.meta.dirname, "..");
const args = new Set(process.argv.slice(2));
const dev = args.has("--dev");

/**
 * Next answers a path it cannot percent-decode with a bare 500 before any route runs; such a path
 * is the client's mistake, so it gets a 400 in the API's envelope here instead.
 */
function rejectUndecodablePath(request: IncomingMessage, response: ServerResponse): boolean {
  try {
    decodeURIComponent((request.url ?? "/").split("?")[0] ?? "/");
    return false;
  } catch {
    const requestId = newId("req");
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

function printBanner(url: string, egressUrl: string | null, runs: ConsoleRuns, booted: Awaited<ReturnType<typeof bootConsole>>): void {
  const lines = [`Console ready at ${url}`, `  database: ${booted.database.kind} (${booted.database.location})`];
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
async function startEgressProxy(env: ConsoleEnv, booted: Awaited<ReturnType<typeof bootConsole>>): Promise<EgressProxy> {
  const authority = egressAuthoritySource();
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

async function main(): Promise<void> {
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  const env = loadEnv();
  requireAuthSecretConfig(env);
  if (!dev && !args.has("--no-build")) buildIfStale(console.log);

  const booted = await bootConsole(env, (line) => console.log(`  ${line}`));
  const app = next({ dev, dir: root, hostname: env.HOST, port: env.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  const incoming = incomingSettings(env, dev);
  const serveBoundary = createBaseUrlBoundary({
    lookup: boundaryLookup(),
    openSecret: openCredentialSecret,
    privateEndpoints: env.CONSOLE_PRIVATE_ENDPOINTS,
  });
  const server = createServer((request, response) => {
    if (rejectUndecodablePath(request, response)) return;
    // The credential boundary needs nothing from Next, and sits on the path of every model call.
    if (request.url?.startsWith(BOUNDARY_PREFIX)) {
      serveBoundary(request, response).catch(() => response.destroy());
      return;
    }
    // The client address (through CONSOLE_TRUSTED_PROXIES) and the security headers (lib/http).
    prepareIncoming(request, response, incoming);
    void handle(request, response);
  });

  const egress = env.CONSOLE_EGRESS_PORT === 0 ? null : await startEgressProxy(env, booted);
  // Workers reach this console on loopback when it listens on every address.
  const ownHost = env.HOST === "0.0.0.0" || env.HOST === "::" ? "127.0.0.1" : env.HOST.includes(":") ? `[${env.HOST}]` : env.HOST;
  const runs = await startConsoleRuns(env, `http://${ownHost}:${env.PORT}`, (line) => console.log(line));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received; closing the console…`);
    // Before the server closes: a runner ended now reports through it, and is retried by another process.
    await runs.stop().catch((error: unknown) => console.error("Stopping the runs failed:", error));
    server.close();
    server.closeAllConnections();
    await egress?.close();
    await app.close().catch(() => undefined);
    await booted.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  server.listen(env.PORT, env.HOST, () => {
    const host = env.HOST.includes(":") ? `[${env.HOST}]` : env.HOST;
    printBanner(`http://${host}:${env.PORT}`, egress && `http://${host}:${env.CONSOLE_EGRESS_PORT}`, runs, booted);
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
