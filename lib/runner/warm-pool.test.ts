import { describe, expect, it } from "vitest";
import type { LaunchedRunner, RunnerPlace, WaitingRunner } from "@/lib/runner/launch";
import { AGENT_TOOL_NAMES, type RunClaim, type ToolPolicy } from "@/lib/runner/protocol";
import { runnerLauncher, warmPoolSize } from "@/lib/runner/runner-launcher";
import { createWarmPool } from "@/lib/runner/warm-pool";

/** A process the test ends by hand. */
function fakeProcess(id: number) {
  let end: () => void = () => undefined;
  const exited = new Promise<void>((resolve) => (end = resolve));
  const process = { id, killed: false, exited, kill: () => ((process.killed = true), end()), end: () => end() };
  return process;
}
type FakeProcess = ReturnType<typeof fakeProcess>;

/** A spawn that counts its processes and can be told to fail. */
function fakeSpawner() {
  const spawned: FakeProcess[] = [];
  const state = { failNext: 0 };
  return {
    spawned,
    state,
    spawn: async () => {
      if (state.failNext > 0) {
        state.failNext -= 1;
        throw new Error("no node here");
      }
      const process = fakeProcess(spawned.length + 1);
      spawned.push(process);
      return process;
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("the warm pool", () => {
  it("fills to its size, hands out the oldest first, and refills what was taken", async () => {
    const spawner = fakeSpawner();
    const pool = createWarmPool({ size: 2, spawn: spawner.spawn, log: () => undefined });
    await pool.filled();
    expect(pool.idle).toBe(2);
    expect(pool.take()?.id).toBe(1);
    expect(pool.take()?.id).toBe(2);
    expect(pool.take()).toBeNull();
    await pool.filled();
    expect(spawner.spawned).toHaveLength(4);
    expect(pool.idle).toBe(2);
    await pool.stop();
  });

  it("starts the replacement of a taken process once it ends, while others are still idle", async () => {
    const spawner = fakeSpawner();
    const pool = createWarmPool({ size: 2, spawn: spawner.spawn, log: () => undefined });
    await pool.filled();
    const taken = spawner.spawned[0];
    expect(pool.take()).toBe(taken);
    await settle();
    expect(spawner.spawned).toHaveLength(2);
    taken?.end();
    await pool.filled();
    expect(spawner.spawned).toHaveLength(3);
    await pool.stop();
  });

  it("drops a warm process that dies before use and starts another, after a pause", async () => {
    const spawner = fakeSpawner();
    const lines: string[] = [];
    const pool = createWarmPool({ size: 1, spawn: spawner.spawn, log: (line) => lines.push(line), backoffMs: 20 });
    await pool.filled();
    spawner.spawned[0]?.end();
    await settle();
    expect(pool.idle).toBe(0);
    expect(pool.take()).toBeNull();
    await pool.filled();
    expect(spawner.spawned).toHaveLength(2);
    expect(pool.take()?.id).toBe(2);
    expect(lines.join("\n")).toMatch(/ended before it was used/);
    await pool.stop();
  });

  it("keeps trying, more slowly each time, when processes cannot start", async () => {
    const spawner = fakeSpawner();
    spawner.state.failNext = 3;
    const lines: string[] = [];
    const started = Date.now();
    const pool = createWarmPool({ size: 1, spawn: spawner.spawn, log: (line) => lines.push(line), backoffMs: 10 });
    await pool.filled();
    // 10 + 20 + 40 ms of pauses after the three failures.
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
    expect(spawner.spawned).toHaveLength(1);
    expect(lines[0]).toMatch(/could not start: no node here/);
    await pool.stop();
  });

  it("stops: kills the idle processes, leaves the taken ones alone, and starts no more", async () => {
    const spawner = fakeSpawner();
    const pool = createWarmPool({ size: 2, spawn: spawner.spawn, log: () => undefined });
    await pool.filled();
    const taken = pool.take();
    await settle();
    await pool.stop();
    expect(taken?.killed).toBe(false);
    expect(spawner.spawned.filter((process) => process !== taken).every((process) => process.killed)).toBe(true);
    const count = spawner.spawned.length;
    expect(pool.take()).toBeNull();
    await settle();
    expect(spawner.spawned).toHaveLength(count);
    expect(pool.idle).toBe(0);
  });

  it("a process still starting when the pool stops is killed as it arrives", async () => {
    let release: () => void = () => undefined;
    const late = fakeProcess(1);
    const pool = createWarmPool({ size: 1, spawn: () => new Promise<FakeProcess>((resolve) => (release = () => resolve(late))), log: () => undefined });
    await pool.stop();
    release();
    await settle();
    expect(late.killed).toBe(true);
  });
});

const ASK_ALL = Object.fromEntries(AGENT_TOOL_NAMES.map((name) => [name, { enabled: true, permission: "always_ask" }])) as ToolPolicy;

function claimFor(runId: string, egressPort: number | null): RunClaim {
  return {
    type: "run_claim",
    run_id: runId,
    session_id: "sesn_1",
    attempt: 1,
    rest_seconds: 0,
    api_key: `s0_key_of_${runId}`,
    resume: null,
    egress_port: egressPort,
    agent: { model: "claude-sonnet-4-6", system: null, tools: ASK_ALL },
  };
}

/** Launcher parts that record which runner took which run: warm (spawned ahead) or cold. */
function fakeParts(options: { deadOnArrival?: boolean } = {}) {
  const warm: Array<{ place: RunnerPlace; runner: WaitingRunner; started: RunClaim[]; killed: boolean }> = [];
  const cold: RunClaim[] = [];
  const launched = (pid: number): LaunchedRunner => ({ pid, exited: new Promise(() => undefined), kill: () => undefined });
  return {
    warm,
    cold,
    parts: {
      spawn: async (place: RunnerPlace) => {
        let end: () => void = () => undefined;
        const record = { place, started: [] as RunClaim[], killed: false, runner: undefined as unknown as WaitingRunner };
        record.runner = {
          pid: 100 + warm.length,
          egressPort: place.egressPort,
          exited: new Promise((resolve) => (end = () => resolve({ code: null, signal: "SIGKILL" }))),
          kill: () => ((record.killed = true), end()),
          start: async (claim) => {
            if (options.deadOnArrival) {
              record.killed = true;
              end();
              throw new Error("the runner ended before its run arrived");
            }
            record.started.push(claim);
            return launched(record.runner.pid);
          },
        };
        warm.push(record);
        return record.runner;
      },
      cold: async (claim: RunClaim) => {
        cold.push(claim);
        return launched(1);
      },
    },
  };
}

describe("the runner launcher", () => {
  const settings = { consoleUrl: "http://127.0.0.1:3000", workRoot: "/tmp/runs", isolate: false, log: () => undefined };

  it("keeps two warm unless told, and never more than the runs worked at once", () => {
    expect(warmPoolSize(4, undefined)).toBe(2);
    expect(warmPoolSize(1, undefined)).toBe(1);
    expect(warmPoolSize(4, 0)).toBe(0);
    expect(warmPoolSize(4, 3)).toBe(3);
  });

  it("hands a claim to a warm runner started for the claim's egress port; stopping kills the idle ones only", async () => {
    const fake = fakeParts();
    const launcher = runnerLauncher({ ...settings, warm: 2, egressPort: 3128 }, fake.parts);
    await launcher.filled();
    expect(fake.warm.map((record) => record.place.egressPort)).toEqual([3128, 3128]);
    const runner = await launcher.launch(claimFor("run_1", 3128));
    expect(runner.pid).toBe(100);
    expect(fake.warm[0]?.started.map((claim) => claim.run_id)).toEqual(["run_1"]);
    expect(fake.cold).toEqual([]);
    expect(launcher.idle).toBe(1);
    await launcher.stop();
    expect(fake.warm[1]?.killed).toBe(true);
    expect(fake.warm[0]?.killed).toBe(false);
  });

  it("starts a runner cold when the claim names another egress port, and keeps the pool for that port from then on", async () => {
    const fake = fakeParts();
    const launcher = runnerLauncher({ ...settings, warm: 1, egressPort: 3128 }, fake.parts);
    await launcher.filled();
    await launcher.launch(claimFor("run_1", null));
    expect(fake.cold.map((claim) => claim.run_id)).toEqual(["run_1"]);
    await launcher.filled();
    expect(fake.warm[0]?.killed).toBe(true);
    expect(fake.warm.map((record) => record.place.egressPort)).toEqual([3128, null]);
    await launcher.launch(claimFor("run_2", null));
    expect(fake.warm[1]?.started.map((claim) => claim.run_id)).toEqual(["run_2"]);
    expect(fake.cold).toHaveLength(1);
    await launcher.stop();
  });

  it("a warm runner that died before its run arrives: the run starts cold instead", async () => {
    const fake = fakeParts({ deadOnArrival: true });
    const launcher = runnerLauncher({ ...settings, warm: 1, egressPort: null }, fake.parts);
    await launcher.filled();
    const runner = await launcher.launch(claimFor("run_1", null));
    expect(runner.pid).toBe(1);
    expect(fake.cold.map((claim) => claim.run_id)).toEqual(["run_1"]);
    await launcher.stop();
  });

  it("with no pool (0), every run starts cold and nothing is started ahead", async () => {
    const fake = fakeParts();
    const launcher = runnerLauncher({ ...settings, warm: 0, egressPort: null }, fake.parts);
    await launcher.launch(claimFor("run_1", null));
    expect(fake.warm).toHaveLength(0);
    expect(fake.cold).toHaveLength(1);
    await launcher.stop();
  });
});
