import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createLocalRunQueue } from "@/lib/runner/local-queue";
import { AGENT_TOOL_NAMES, type RunClaim, type RunJob, type ToolPolicy } from "@/lib/runner/protocol";
import { createRunWorker, type LaunchedRunner, type RunWorkerOptions } from "@/lib/runner/worker";

const ALWAYS_ASK = Object.fromEntries(AGENT_TOOL_NAMES.map((name) => [name, { enabled: true, permission: "always_ask" }])) as ToolPolicy;

/** A console that answers claims (409 for the token "stale") and records finishes, as the worker calls them. */
async function fakeConsole() {
  const finishes: { runId: string; key: string | undefined; body: unknown }[] = [];
  const read = async (request: IncomingMessage) =>
    JSON.parse(
      await new Promise<string>((done) => {
        let text = "";
        request.on("data", (chunk: Buffer) => (text += chunk.toString()));
        request.on("end", () => done(text));
      }),
    ) as Record<string, unknown>;
  const server = createServer(async (request, response) => {
    const [, , , runId, action] = (request.url ?? "").split("/");
    const body = await read(request);
    if (action === "claim") {
      if (body.claim_token === "stale") {
        response
          .writeHead(409, { "content-type": "application/json" })
          .end(JSON.stringify({ type: "error", error: { type: "conflict_error", message: "no" } }));
        return;
      }
      const claim: RunClaim = {
        type: "run_claim",
        run_id: runId as string,
        session_id: "sesn_1",
        attempt: 1,
        rest_seconds: 0,
        api_key: `s0_key_of_${runId}`,
        resume: null,
        egress_port: null,
        agent: { model: "claude-sonnet-4-6", system: null, tools: ALWAYS_ASK },
      };
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(claim));
      return;
    }
    finishes.push({ runId: runId as string, key: request.headers["x-api-key"] as string | undefined, body });
    response.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", () => listening()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, finishes, close: () => new Promise((done) => server.close(done)) };
}

const job = (runId: string, token = "t".repeat(43)): RunJob => ({ run_id: runId, session_id: "sesn_1", claim_token: token });
/** A worker taking one run at a time from a queue of its own, reporting to `consoleUrl`. */
async function workerFor(consoleUrl: string, launch: RunWorkerOptions["launch"], options: Partial<RunWorkerOptions> = {}) {
  const queue = createLocalRunQueue();
  const worker = await createRunWorker({ consoleUrl, jobs: queue, concurrency: 1, log: () => undefined, launch, ...options });
  return { queue, worker };
}

async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done() && waited < 5_000; waited += 20) await new Promise((wake) => setTimeout(wake, 20));
}

let closeConsole: (() => Promise<unknown>) | undefined;
afterEach(async () => closeConsole?.());

describe("the run worker", () => {
  it("claims, launches with the claim, and reports runner_died with the run's key when the runner exits badly", async () => {
    const console = await fakeConsole();
    closeConsole = console.close;
    const launched: RunClaim[] = [];
    const { queue, worker } = await workerFor(console.url, async (claim): Promise<LaunchedRunner> => {
      launched.push(claim);
      return { exited: Promise.resolve({ code: 137, signal: null }), kill: () => undefined };
    });
    await queue.send(job("run_a"));
    await queue.send(job("run_b", "stale"));
    await until(() => console.finishes.length > 0);
    expect(launched.map((claim) => claim.run_id)).toEqual(["run_a"]);
    expect(console.finishes).toEqual([{ runId: "run_a", key: "s0_key_of_run_a", body: { outcome: "runner_died", detail: "the runner exited with code 137" } }]);
    await worker.stop();
  });

  it("reports nothing for a runner that exits 0 (it finished its run, or the console had ended it)", async () => {
    const console = await fakeConsole();
    closeConsole = console.close;
    const exits: Array<{ code: number; signal: null }> = [];
    const { queue, worker } = await workerFor(console.url, async (claim): Promise<LaunchedRunner> => {
      const exit = { code: claim.run_id === "run_ok" ? 0 : 1, signal: null };
      exits.push(exit);
      return { exited: Promise.resolve(exit), kill: () => undefined };
    });
    await queue.send(job("run_ok"));
    await queue.send(job("run_bad"));
    // run_bad's report comes after run_ok's exit (one run at a time): a report for run_ok would be in by then.
    await until(() => console.finishes.length > 0);
    await worker.stop();
    expect(exits).toHaveLength(2);
    expect(console.finishes).toEqual([
      { runId: "run_bad", key: "s0_key_of_run_bad", body: { outcome: "runner_died", detail: "the runner exited with code 1" } },
    ]);
  });

  it("stop() asks its runners to end (SIGTERM): one that ends at once, as a resting runner does, is neither waited for nor killed", async () => {
    const console = await fakeConsole();
    closeConsole = console.close;
    let killed = 0;
    const children: ChildProcess[] = [];
    let launched = 0;
    const { queue, worker } = await workerFor(
      console.url,
      async (): Promise<LaunchedRunner> => {
        // Ends with 0 on SIGTERM, as agent-runner does when it rests.
        const child = spawn(process.execPath, ["-e", 'process.on("SIGTERM", () => process.exit(0)); setInterval(() => {}, 1000); console.log("up")'], {
          stdio: ["ignore", "pipe", "inherit"],
        });
        children.push(child);
        await new Promise((ready) => child.stdout?.once("data", ready));
        launched += 1;
        return {
          pid: child.pid,
          exited: new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal }))),
          kill: () => {
            killed += 1;
            child.kill("SIGKILL");
          },
        };
      },
      { drainMs: 20_000 },
    );
    try {
      await queue.send(job("run_resting"));
      await until(() => launched === 1);
      const stopping = Date.now();
      await worker.stop();
      // Far below the 20 s drain, which a runner ignoring SIGTERM would have taken.
      expect(Date.now() - stopping).toBeLessThan(10_000);
      expect(killed).toBe(0);
      expect(children[0]?.exitCode).toBe(0);
      expect(console.finishes).toEqual([]);
    } finally {
      for (const child of children) child.kill("SIGKILL");
    }
  }, 30_000);

  it("stop() takes no more jobs, waits for the runs in progress, and kills those that outlast the drain", async () => {
    const console = await fakeConsole();
    closeConsole = console.close;
    let killed = 0;
    let started = 0;
    let exit: (value: { code: number | null; signal: NodeJS.Signals | null }) => void = () => undefined;
    const { queue, worker } = await workerFor(
      console.url,
      async (): Promise<LaunchedRunner> => ({
        exited: new Promise((resolve) => {
          started += 1;
          exit = resolve;
        }),
        kill: () => {
          killed += 1;
          exit({ code: null, signal: "SIGTERM" });
        },
      }),
      { drainMs: 200 },
    );
    await queue.send(job("run_long"));
    await until(() => started === 1);
    await worker.stop();
    expect(killed).toBe(1);
    expect(console.finishes.map((entry) => entry.body)).toEqual([{ outcome: "runner_died", detail: "the runner was ended by SIGTERM" }]);
  });
});
