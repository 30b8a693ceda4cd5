// The base-URL boundary's CPU per request, apart from everything else the console does: the door
// (bench/door-server.ts) and the plain pass-through floor (bench/floor-proxy.ts), each in a process
// of its own, take the same non-streamed POST /v1/messages at DOOR_CPU_CONNECTIONS connections (8)
// from a stub and load generator in this process, in alternating rounds. CPU per request comes
// from /proc, so it holds on a machine busy with other work, where req/s does not.
//
//   npx tsx bench/door-cpu.ts            DOOR_CPU_SECONDS=10 DOOR_CPU_ROUNDS=3 DOOR_CPU_PROF=<dir> (profiles in <dir>/door and <dir>/floor)
import { join } from "node:path";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { anthropicApi, startStubUpstream } from "../e2e/api/stub-upstream";
import { spawnScript, stopScript, waitForLine, type ScriptProcess } from "../scripts/console-process";
import { ANTHROPIC_HEADERS, MESSAGE_BODY } from "./compare";
import { processGroupCpuMs } from "./cpu";
import { combineLoads, runLoad, type LoadResult } from "./load";

const CONNECTIONS = Number(process.env.DOOR_CPU_CONNECTIONS ?? 8);
const SECONDS = Number(process.env.DOOR_CPU_SECONDS ?? 10);
const ROUNDS = Number(process.env.DOOR_CPU_ROUNDS ?? 3);

async function main(): Promise<void> {
  const stub = await startStubUpstream(anthropicApi());
  const dir = mkdtempSync(join(tmpdir(), "door-cpu-"));
  const profile = process.env.DOOR_CPU_PROF;
  const start = async (script: string, args: string[], nodeArgs: string[] = []): Promise<{ child: ScriptProcess; origin: string; key: string }> => {
    const child = spawnScript({
      name: script,
      script,
      args,
      nodeArgs,
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "production" },
      logPath: join(dir, `${script.replace(/\W/g, "-")}.log`),
    });
    const [, origin = "", key = "floor"] = await waitForLine(child, /listening on (\S+)\s*(\S*)/, 60_000);
    return { child, origin, key };
  };
  const door = await start(
    "bench/door-server.ts",
    [process.env.DOOR_CPU_MODE ?? "boundary", stub.origin],
    profile ? ["--cpu-prof", `--cpu-prof-dir=${join(profile, "door")}`] : [],
  );
  const floor = await start("bench/floor-proxy.ts", [stub.origin], profile ? ["--cpu-prof", `--cpu-prof-dir=${join(profile, "floor")}`] : []);
  const runs: Record<"direct" | "floor" | "boundary", LoadResult[]> = { direct: [], floor: [], boundary: [] };
  const route = {
    direct: { origin: stub.origin, path: "/v1/messages", headers: { ...ANTHROPIC_HEADERS, "x-api-key": "direct-call" }, pid: null },
    floor: { origin: floor.origin, path: "/v1/messages", headers: { ...ANTHROPIC_HEADERS, "x-api-key": "direct-call" }, pid: floor.child.child.pid },
    boundary: {
      origin: door.origin,
      path: "/boundary/sesn_bench/v1/messages",
      headers: { ...ANTHROPIC_HEADERS, "x-api-key": door.key },
      pid: door.child.child.pid,
    },
  };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const side of ["direct", "floor", "boundary"] as const) {
        const { pid } = route[side];
        runs[side].push(
          await runLoad({
            origin: route[side].origin,
            concurrency: CONNECTIONS,
            warmupMs: 1_000,
            durationMs: (SECONDS * 1000) / ROUNDS,
            maxRequests: 10_000_000,
            nextRequest: () => ({ method: "POST", path: route[side].path, headers: route[side].headers, body: MESSAGE_BODY }),
            cpuMeters: pid ? { hop: () => processGroupCpuMs(pid) } : {},
          }),
        );
        stub.clear();
      }
    }
    for (const side of ["direct", "floor", "boundary"] as const) {
      const result = combineLoads(runs[side]);
      const cpu = result.cpuMsPerRequest.hop;
      console.log(
        `${side.padEnd(9)} ${result.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${result.p50Ms.toFixed(2)} ms  p99 ${result.p99Ms.toFixed(2)} ms  ` +
          `hop CPU/req ${cpu === undefined ? "—" : `${(cpu * 1000).toFixed(0)} µs`}  (${result.succeeded} ok, ${result.errors} errors)`,
      );
    }
  } finally {
    await Promise.all([stopScript(door.child), stopScript(floor.child)]);
    await stub.close();
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
