// What the credential boundary (SPEC §7) adds to a model call, measured against the same stub
// upstream called directly, in the same run (bench/compare.ts): bench/orchestrate.ts calls
// measureBoundary() while the real server runs. The difference is the boundary: one more loopback
// hop, the placeholder lookup, the token (opened once per sealed credential), the request log.
// The console runs with CONSOLE_BOUNDARY_PORT, as one carrying many model calls would, so the
// boundary measured is the one runtimes are given: on its own port and thread. Its figures are
// then set against the same door on the console's own port, in alternating rounds on the same server.
//
// The floor: the same load through a plain pass-through proxy in a process of its own
// (bench/floor-proxy.ts), at one and COMPARE_CONCURRENCY connections. The load generator and the
// stub share one process, so on a small machine "direct" is bounded by that process and any hop
// by the CPU both processes leave each other; the floor says how much of the boundary's shortfall
// any second process on the path would show.
// On PostgreSQL a second floor also reads the boundary's lookup row per request, as the console
// does there: the floor of any door that asks the database on every call.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { anthropicApi, startStubUpstream } from "../e2e/api/stub-upstream";
import { spawnScript, stopScript, waitForLine } from "../scripts/console-process";
import { ANTHROPIC_HEADERS, COMPARE_CONCURRENCY, compareAll, compareLoads, type Comparison, type ComparisonSettings, type Pair, type Route } from "./compare";
import type { LoadResult } from "./load";
import { archiveVault, setUpSession } from "./session";

/**
 * The floor proxy's loads, printed as the boundary's are (the report's table is the boundary's alone).
 * On PostgreSQL a second floor reads the boundary's lookup row per request (bench/floor-proxy.ts),
 * sent with the session's placeholder: what any door costs that asks the database on every call.
 */
async function measureFloor(settings: BoundarySettings, direct: Route, stubOrigin: string, placeholder: string): Promise<Pair<LoadResult> | undefined> {
  let plainConcurrent: Pair<LoadResult> | undefined;
  const floors: Array<{ label: string; args: string[]; route: (origin: string) => Route }> = [
    { label: "floor", args: [stubOrigin], route: (origin) => ({ ...direct, origin }) },
  ];
  if (settings.databaseUrl) {
    floors.push({
      label: "floor + lookup",
      args: [stubOrigin, settings.databaseUrl],
      route: (origin) => ({ ...direct, origin, headers: { ...direct.headers, "x-api-key": placeholder } }),
    });
  }
  for (const floor of floors) {
    const dir = mkdtempSync(join(tmpdir(), "console-bench-floor-"));
    const proxy = spawnScript({
      name: `the ${floor.label} proxy`,
      script: "bench/floor-proxy.ts",
      args: floor.args,
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "production" },
      logPath: join(dir, "floor-proxy.log"),
    });
    try {
      const [, origin = ""] = await waitForLine(proxy, /floor proxy listening on (\S+)/, 30_000);
      for (const connections of [1, COMPARE_CONCURRENCY]) {
        const loads = await compareLoads({ ...settings, cpuMeters: {} }, { direct, through: floor.route(origin) }, connections);
        settings.describeLoad(`${floor.label}: direct, ${connections} conn.`, loads.direct);
        settings.describeLoad(`${floor.label}: proxy, ${connections} conn.`, loads.through);
        if (floor.label === "floor" && connections === COMPARE_CONCURRENCY) plainConcurrent = loads;
      }
    } finally {
      await stopScript(proxy);
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return plainConcurrent;
}

/**
 * The door on the console's own port (the main thread, beside Next) against the door on its own
 * port and thread, in alternating rounds on the same server: what CONSOLE_BOUNDARY_PORT changes.
 */
async function compareDoors(settings: BoundarySettings, ownPort: Route): Promise<void> {
  const consolePort: Route = { ...ownPort, origin: settings.origin };
  for (const connections of [1, COMPARE_CONCURRENCY]) {
    const { direct: onConsolePort, through: onOwnPort } = await compareLoads(settings, { direct: consolePort, through: ownPort }, connections);
    settings.describeLoad(`door on the console's port, ${connections} conn.`, onConsolePort);
    settings.describeLoad(`door on its own port, ${connections} conn.`, onOwnPort);
  }
}

/** The comparison's settings, and PostgreSQL's URL when the console runs on it (for the lookup floor). */
export type BoundarySettings = ComparisonSettings & { databaseUrl?: string };

export async function measureBoundary(settings: BoundarySettings): Promise<Comparison> {
  const stub = await startStubUpstream(anthropicApi());
  let vaultId: string | null = null;
  try {
    const session = await setUpSession(settings, stub.origin, "boundary");
    vaultId = session.vaultId;
    const { ANTHROPIC_BASE_URL: baseUrl = "", ANTHROPIC_API_KEY: placeholder = "" } = session.runtime.env;
    // The direct call carries a key of its own: the stub answers any, and no token is needed to compare.
    const direct: Route = { origin: stub.origin, path: "/v1/messages", headers: { ...ANTHROPIC_HEADERS, "x-api-key": "direct-call" } };
    // Where the runtime is told to send its model calls: the console's port, or the door's own (CONSOLE_BOUNDARY_PORT).
    const boundary: Route = {
      origin: new URL(baseUrl).origin,
      path: `${new URL(baseUrl).pathname}/v1/messages`,
      headers: { ...ANTHROPIC_HEADERS, "x-api-key": placeholder },
    };
    const comparison = await compareAll(settings, stub, { direct, through: boundary }, "boundary");
    if (boundary.origin !== settings.origin) await compareDoors(settings, boundary);
    // The stub keeps what it received; the floor's requests need not add to it.
    stub.clear();
    const floor = await measureFloor(settings, direct, stub.origin, placeholder);
    return floor ? { ...comparison, floor } : comparison;
  } finally {
    if (vaultId) await archiveVault(settings, vaultId);
    await stub.close();
  }
}
