// A run worker: takes jobs from a queue, claims each run from the console over HTTP, starts a
// runner for it and waits for the runner to exit. It holds no API key and no database handle of the
// console's: the claim token in the job is its only credential, and the claim returns the runner's key.
import { hostname } from "node:os";
import { BETA_HEADER, BETA_VERSION } from "@/lib/http/headers";
import { componentLog } from "@/lib/ops/logger";
import { claimResponseSchema, type FinishRequest, type RunClaim, type RunJob } from "@/lib/runner/protocol";
import type { RunJobSource } from "@/lib/runner/queue";
import { stepsWanted, type RunnerSteps } from "@/lib/runner/steps";

/** A started runner process, as lib/runner/launch.ts returns it. */
export interface LaunchedRunner {
  pid?: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(): void;
}

/** Starts the runner for a claimed run (bound by the caller to the console URL, work root and isolation). */
export type RunLauncher = (claim: RunClaim, steps?: RunnerSteps) => Promise<LaunchedRunner>;

export interface RunWorkerOptions {
  /** The console's own URL, as the runner reaches it. */
  consoleUrl: string;
  jobs: RunJobSource;
  launch: RunLauncher;
  /** Runs at once in this worker. */
  concurrency: number;
  /** Who claims, for the operator (host and pid by default). */
  workerId?: string;
  /** Where problems are reported, one warning each (the console's log, component `runs`, by default). */
  log?: (line: string) => void;
  /** How long stop() waits for running runners before it ends them (they are retried elsewhere). */
  drainMs?: number;
}

export interface RunWorker {
  /** Takes no more jobs, asks its runners to end (resting ones do at once), waits up to drainMs for the turns in progress, then kills what is left. */
  stop(): Promise<void>;
}

async function post(consoleUrl: string, path: string, body: unknown, apiKey?: string): Promise<Response> {
  return fetch(new URL(path, consoleUrl), {
    method: "POST",
    headers: { "content-type": "application/json", [BETA_HEADER]: BETA_VERSION, ...(apiKey ? { "x-api-key": apiKey } : {}) },
    body: JSON.stringify(body),
  });
}

/** Why the console answered so, from its error envelope: the error code or type and the message. */
async function refusal(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error?: { type?: string; message?: string; details?: { error_code?: string } } };
    return `${response.status} ${body.error?.details?.error_code ?? body.error?.type ?? ""}: ${body.error?.message ?? ""}`;
  } catch {
    return `${response.status}`;
  }
}

/** Asks a runner to end (SIGTERM), where kill() ends it at once. */
function terminate(runner: LaunchedRunner | null): void {
  if (!runner?.pid) return;
  try {
    process.kill(runner.pid, "SIGTERM");
  } catch {
    // already gone
  }
}

export function createRunWorker(options: RunWorkerOptions): Promise<RunWorker> {
  const { consoleUrl, jobs, launch, concurrency } = options;
  const workerId = options.workerId ?? `${hostname()}:${process.pid}`;
  const log = options.log ?? componentLog("runs").warn;
  const running = new Map<string, { runner: LaunchedRunner | null; done: Promise<void> }>();
  let stopping = false;

  /** Tells the console the runner ended without finishing; a run it did finish refuses (its key is revoked). */
  async function reportDied(claim: RunClaim, detail: string): Promise<void> {
    const request: FinishRequest = { outcome: "runner_died", detail };
    const response = await post(consoleUrl, `/v1/runs/${claim.run_id}/finish`, request, claim.api_key).catch((error: unknown) => error as Error);
    if (response instanceof Error) log(`${claim.run_id}: could not report the runner's end (${response.message}); the lease sweep will`);
    else if (!response.ok && ![401, 409].includes(response.status)) log(`${claim.run_id}: finish refused: ${await refusal(response)}`);
    else await response.body?.cancel();
  }

  type Slot = { runner: LaunchedRunner | null; done: Promise<void> };

  async function work(job: RunJob, slot: Slot): Promise<void> {
    const steps: RunnerSteps | undefined = stepsWanted() ? { job: Date.now() } : undefined;
    const response = await post(consoleUrl, `/v1/runs/${job.run_id}/claim`, { claim_token: job.claim_token, worker_id: workerId });
    if (!response.ok) {
      // A stale job (claimed elsewhere, re-sent with a new token, cancelled) or a session not ready: the console recorded why.
      log(`${job.run_id}: not claimed: ${await refusal(response)}`);
      return;
    }
    const claim = claimResponseSchema.parse(await response.json());
    if (steps) steps.claimed = Date.now();
    let runner: LaunchedRunner;
    try {
      runner = await launch(claim, steps);
    } catch (error) {
      await reportDied(claim, `the runner could not start: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    slot.runner = runner;
    // Launched while the worker stops: asked to end like the others.
    if (stopping) terminate(runner);
    const { code, signal } = await runner.exited;
    // A runner exits 0 only when the run needs nothing more from it: it finished the run, or the
    // console had ended it. Any other end is reported (a run that did finish refuses, its key revoked);
    // a runner that broke that rule leaves its run to the lease sweep.
    if (code !== 0 || signal !== null) await reportDied(claim, signal ? `the runner was ended by ${signal}` : `the runner exited with code ${code}`);
  }

  async function handle(job: RunJob): Promise<void> {
    const slot: Slot = { runner: null, done: Promise.resolve() };
    running.set(job.run_id, slot);
    slot.done = (async () => {
      try {
        await work(job, slot);
      } catch (error) {
        log(`${job.run_id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    })();
    await slot.done;
    running.delete(job.run_id);
  }

  return jobs.consume(concurrency, handle).then((stopConsuming) => ({
    async stop() {
      stopping = true;
      await stopConsuming();
      // A resting runner finishes at once on SIGTERM; one mid-turn finishes its turn first.
      for (const slot of running.values()) terminate(slot.runner);
      const drained = Promise.all([...running.values()].map((slot) => slot.done));
      let timer: NodeJS.Timeout | undefined;
      const late = await Promise.race([
        drained.then(() => false),
        new Promise<boolean>((resolveLate) => (timer = setTimeout(() => resolveLate(true), options.drainMs ?? 10_000))),
      ]);
      clearTimeout(timer);
      if (!late) return;
      for (const slot of running.values()) slot.runner?.kill();
      await drained;
    },
  }));
}
