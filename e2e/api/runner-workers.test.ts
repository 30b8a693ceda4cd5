// Workers on other machines (`npm run runner`, lib/runner/worker.ts) against a console on PostgreSQL:
// two workers with their own pg-boss connections race for the same queue, each run is claimed and
// run exactly once, and a worker that goes silent mid-run loses the run to the lease sweep, which
// retries it. The runners are fake: in-test functions that use the claim's key over HTTP as a real
// runner does (inbox, events, finish).
import type Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPgBossRunQueue, type PgBossRunQueue } from "@/lib/runner/pg-boss-queue";
import { RUN_LEASE_MIN_SECONDS, type RunClaim } from "@/lib/runner/protocol";
import { createRunWorker, type LaunchedRunner, type RunWorker } from "@/lib/runner/worker";
import { createOwnDatabase, sharedDatabaseUrl, startOwnConsole, type OwnConsole } from "./own-console";
import { BETA_HEADER, client, createLlmVaultOn, createSession, createSessionPrerequisites, guardResponses } from "./support";

guardResponses();

const RUNS = 50;

describe.skipIf(sharedDatabaseUrl() === undefined)("run workers on a PostgreSQL queue (needs PostgreSQL: an embedded console works its runs itself)", () => {
  let own: OwnConsole;
  let dropDatabase: () => Promise<void>;
  let anthropic: Anthropic;
  const queues: PgBossRunQueue[] = [];
  const workers: RunWorker[] = [];
  /** Every launch, by run id: which worker, which attempt. */
  const launches: { runId: string; sessionId: string; worker: string; attempt: number }[] = [];
  /** Sessions whose first attempt goes silent, as a worker killed mid-run would. */
  const silentFirstAttempt = new Set<string>();
  const silent: { resolve: (exit: { code: number | null; signal: NodeJS.Signals | null }) => void }[] = [];

  async function runnerCall(claim: RunClaim, method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(new URL(path, own.url), {
      method,
      headers: { "x-api-key": claim.api_key, "anthropic-beta": BETA_HEADER, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  }

  /** A fake runner: takes its message, answers it, finishes; exits 0. */
  function fakeRunner(worker: string) {
    return async (claim: RunClaim): Promise<LaunchedRunner> => {
      launches.push({ runId: claim.run_id, sessionId: claim.session_id, worker, attempt: claim.attempt });
      if (claim.attempt === 1 && silentFirstAttempt.has(claim.session_id)) {
        return { exited: new Promise((resolve) => silent.push({ resolve })), kill: () => undefined };
      }
      const exited = (async () => {
        await runnerCall(claim, "GET", `/v1/runs/${claim.run_id}/inbox`);
        await runnerCall(claim, "POST", `/v1/runs/${claim.run_id}/events`, {
          events: [{ type: "agent.message", content: [{ type: "text", text: `from ${worker}` }] }],
        });
        await runnerCall(claim, "POST", `/v1/runs/${claim.run_id}/finish`, { outcome: "end_turn", agent_sdk_session_id: null });
        return { code: 0, signal: null };
      })();
      return { exited, kill: () => undefined };
    };
  }

  beforeAll(async () => {
    const database = await createOwnDatabase();
    dropDatabase = database.drop;
    // The shortest lease the console takes, so the silent worker's run is swept within about 35 s.
    own = await startOwnConsole({ CONSOLE_RUNNERS: "0", CONSOLE_RUN_LEASE_SECONDS: String(RUN_LEASE_MIN_SECONDS) }, { databaseUrl: database.url });
    anthropic = client({ baseURL: own.url, apiKey: own.ownerKey as string });
    for (const name of ["worker-a", "worker-b"]) {
      const queue = await createPgBossRunQueue(database.url, () => undefined);
      queues.push(queue);
      workers.push(await createRunWorker({ consoleUrl: own.url, jobs: queue, launch: fakeRunner(name), concurrency: 4, workerId: name, log: () => undefined }));
    }
  }, 180_000);

  afterAll(async () => {
    for (const hung of silent) hung.resolve({ code: null, signal: "SIGKILL" });
    for (const worker of workers) await worker.stop();
    for (const queue of queues) await queue.stop();
    await own?.stop();
    await dropDatabase?.();
  }, 60_000);

  async function sessionsWithMessage(count: number, label: string): Promise<string[]> {
    const prerequisites = await createSessionPrerequisites(anthropic, label);
    const { vault } = await createLlmVaultOn(anthropic, label, "http://127.0.0.1:9");
    const ids: string[] = [];
    for (let index = 0; index < count; index += 1) ids.push((await createSession(anthropic, prerequisites, { vault_ids: [vault.id] })).id);
    return ids;
  }

  async function send(sessionId: string): Promise<void> {
    await anthropic.beta.sessions.events.send(sessionId, { events: [{ type: "user.message", content: [{ type: "text", text: "go" }] }] });
  }

  async function typesOf(sessionId: string): Promise<string[]> {
    const types: string[] = [];
    for await (const event of anthropic.beta.sessions.events.list(sessionId, { limit: 100 })) types.push(event.type);
    return types;
  }

  async function untilIdle(sessionIds: string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const sessionId of sessionIds) {
      while ((await typesOf(sessionId)).at(-1) !== "session.status_idle") {
        if (Date.now() > deadline) throw new Error(`session ${sessionId} is not idle: ${(await typesOf(sessionId)).join(", ")}`);
        await new Promise((wake) => setTimeout(wake, 250));
      }
    }
  }

  it(`runs each of ${RUNS} runs exactly once with two workers racing for them`, { timeout: 240_000 }, async () => {
    const sessionIds = await sessionsWithMessage(RUNS, "workers-race");
    await Promise.all(sessionIds.map(send));
    await untilIdle(sessionIds, 180_000);
    const ours = launches.filter((launch) => sessionIds.includes(launch.sessionId));
    expect(ours).toHaveLength(RUNS);
    expect(new Set(ours.map((launch) => launch.runId)).size).toBe(RUNS);
    expect(ours.every((launch) => launch.attempt === 1)).toBe(true);
    // Both took some: the queue is shared, not owned by whoever connected first.
    expect(new Set(ours.map((launch) => launch.worker)).size).toBe(2);
    for (const sessionId of sessionIds) {
      expect(await typesOf(sessionId)).toEqual(["user.message", "session.status_running", "agent.message", "session.status_idle"]);
    }
  });

  it("retries a run whose worker went silent mid-run once its lease expires", { timeout: (RUN_LEASE_MIN_SECONDS + 90) * 1000 }, async () => {
    const [sessionId] = await sessionsWithMessage(1, "workers-silent");
    silentFirstAttempt.add(sessionId as string);
    await send(sessionId as string);
    await untilIdle([sessionId as string], (RUN_LEASE_MIN_SECONDS + 60) * 1000);
    const ours = launches.filter((launch) => launch.sessionId === sessionId);
    expect(ours.map((launch) => launch.attempt)).toEqual([1, 2]);
    expect(await typesOf(sessionId as string)).toEqual([
      "user.message",
      "session.status_running",
      "session.status_rescheduled",
      "session.status_running",
      "agent.message",
      "session.status_idle",
    ]);
    expect((await anthropic.beta.sessions.retrieve(sessionId as string)).status).toBe("idle");
  });
});
