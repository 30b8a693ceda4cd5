// The run protocol (SPEC §7a) over HTTP, with the test as the runner: a user.message opens a run
// whose job the test takes from the queue; the test claims it with the job's token, reads its inbox,
// posts events and finishes as a runner would, and checks what the session's events and status say.
// Needs a queue the test can take jobs from: PostgreSQL (pg-boss) and a console of its own that works
// no runs itself (CONSOLE_RUNNERS=0). The readiness refusal also runs on the embedded database, where
// the suite console's own worker claims.
import type Anthropic from "@anthropic-ai/sdk";
import type { BetaManagedAgentsSessionEvent } from "@anthropic-ai/sdk/resources/beta/sessions/events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPgBossRunQueue, type PgBossRunQueue } from "@/lib/runner/pg-boss-queue";
import { AGENT_TOOL_NAMES, type RunClaim, type RunJob } from "@/lib/runner/protocol";
import { createOwnDatabase, sharedDatabaseUrl, startOwnConsole, type OwnConsole } from "./own-console";
import {
  AGENT_MODEL,
  BETA_HEADER,
  client,
  createLlmVaultOn,
  createSession,
  createSessionPrerequisites,
  getDiagnostics,
  guardResponses,
  raw,
  type RawResponse,
  type SessionPrerequisites,
} from "./support";

guardResponses();

const onPostgres = sharedDatabaseUrl() !== undefined;
/** Model calls never happen here (the test is the runner): the vault only has to pass diagnostics. */
const UNUSED_UPSTREAM = "http://127.0.0.1:9";

async function eventsOf(anthropic: Anthropic, sessionId: string): Promise<BetaManagedAgentsSessionEvent[]> {
  const events: BetaManagedAgentsSessionEvent[] = [];
  for await (const event of anthropic.beta.sessions.events.list(sessionId, { limit: 100 })) events.push(event);
  return events;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((wake) => setTimeout(wake, 100));
  }
}

function errorCode(response: RawResponse): unknown {
  return (response.json as { error?: { details?: { error_code?: string } } } | undefined)?.error?.details?.error_code;
}

function errorMessage(response: RawResponse): string {
  return (response.json as { error?: { message?: string } } | undefined)?.error?.message ?? "";
}

async function sendMessage(anthropic: Anthropic, sessionId: string, text: string): Promise<void> {
  await anthropic.beta.sessions.events.send(sessionId, { events: [{ type: "user.message", content: [{ type: "text", text }] }] });
}

describe("a session whose LLM vault is missing", () => {
  // Embedded: the suite console's worker claims; PostgreSQL: covered below with the test as the worker.
  it.skipIf(onPostgres)("ends its turn with a session.error that says why and how to fix it, which diagnostics show as last_error", async () => {
    const anthropic = client();
    const session = await createSession(anthropic, await createSessionPrerequisites(anthropic, "runs-not-ready"));
    await sendMessage(anthropic, session.id, "hello");
    const error = await until("the session.error", async () => (await eventsOf(anthropic, session.id)).find((event) => event.type === "session.error"), 30_000);
    expectNotReadyError(error);
    const last = await until("idle", async () => {
      const events = await eventsOf(anthropic, session.id);
      return events.at(-1)?.type === "session.status_idle" ? events.at(-1) : undefined;
    });
    expect(last).toMatchObject({ stop_reason: { type: "end_turn" } });
    expect((await anthropic.beta.sessions.retrieve(session.id)).status).toBe("idle");
    await expectLastError(anthropic, session.id, error);
  });
});

function expectNotReadyError(event: BetaManagedAgentsSessionEvent): void {
  expect(event.type).toBe("session.error");
  const { error } = event as Extract<BetaManagedAgentsSessionEvent, { type: "session.error" }>;
  expect(error.type).toBe("model_request_failed_error");
  expect(error.message).toMatch(/^Session has no LLM output: No LLM vault is attached/);
  expect(error.message).toContain("Fix: Attach the LLM vault in vault_ids");
  expect(error).toMatchObject({ retry_status: { type: "terminal" } });
}

async function expectLastError(anthropic: Anthropic, sessionId: string, event: BetaManagedAgentsSessionEvent): Promise<void> {
  const diagnostics = await getDiagnostics(anthropic, sessionId);
  const { error } = event as Extract<BetaManagedAgentsSessionEvent, { type: "session.error" }>;
  expect(diagnostics.last_error).toEqual({ event_id: event.id, type: error.type, message: error.message, at: event.processed_at });
}

describe.skipIf(!onPostgres)("the run protocol, the test as the runner (needs PostgreSQL: the embedded queue lives inside the console process)", () => {
  let own: OwnConsole;
  let dropDatabase: () => Promise<void>;
  let queue: PgBossRunQueue;
  let stopTaking: () => Promise<void>;
  let anthropic: Anthropic;
  let prerequisites: SessionPrerequisites;
  const jobs: RunJob[] = [];

  beforeAll(async () => {
    const database = await createOwnDatabase();
    dropDatabase = database.drop;
    own = await startOwnConsole({ CONSOLE_RUNNERS: "0" }, { databaseUrl: database.url });
    queue = await createPgBossRunQueue(database.url, () => undefined);
    stopTaking = await queue.consume(4, async (job) => {
      jobs.push(job);
    });
    anthropic = client({ baseURL: own.url, apiKey: own.ownerKey as string });
    prerequisites = await createSessionPrerequisites(anthropic, "runs");
  }, 180_000);

  afterAll(async () => {
    await stopTaking?.();
    await queue?.stop();
    await own?.stop();
    await dropDatabase?.();
  }, 60_000);

  const call = (method: string, path: string, options: { key?: string; body?: unknown } = {}) =>
    raw(method, path, { baseURL: own.url, body: options.body, ...(options.key ? { headers: { "x-api-key": options.key } } : { omitApiKey: true }) });

  async function readySession(label: string): Promise<string> {
    const { vault } = await createLlmVaultOn(anthropic, label, UNUSED_UPSTREAM);
    return (await createSession(anthropic, prerequisites, { vault_ids: [vault.id] })).id;
  }

  /** The newest job for the session after `seen` of its jobs (a retry or a new run sends another). */
  async function jobFor(sessionId: string, seen = 0): Promise<RunJob> {
    return until(`job ${seen + 1} of ${sessionId}`, async () => jobs.filter((job) => job.session_id === sessionId)[seen]);
  }

  async function claim(job: RunJob): Promise<RunClaim> {
    const response = await call("POST", `/v1/runs/${job.run_id}/claim`, { body: { claim_token: job.claim_token, worker_id: "test-worker" } });
    expect(response.status, response.text).toBe(200);
    return response.json as RunClaim;
  }

  async function inbox(claimed: RunClaim, query = ""): Promise<{ data: { id: string; type: string; processed_at: string | null }[]; run_open: boolean }> {
    const response = await call("GET", `/v1/runs/${claimed.run_id}/inbox${query}`, { key: claimed.api_key });
    expect(response.status, response.text).toBe(200);
    return response.json as { data: { id: string; type: string; processed_at: string | null }[]; run_open: boolean };
  }

  async function finish(claimed: RunClaim, body: unknown): Promise<RawResponse> {
    return call("POST", `/v1/runs/${claimed.run_id}/finish`, { key: claimed.api_key, body });
  }

  async function idleAfter(sessionId: string, count: number): Promise<BetaManagedAgentsSessionEvent[]> {
    return until(`idle event ${count} of ${sessionId}`, async () => {
      const events = await eventsOf(anthropic, sessionId);
      return events.filter((event) => event.type === "session.status_idle").length >= count ? events : undefined;
    });
  }

  it("claims a run once: the job's token gets a session-scoped key and the agent; the same token again, or a wrong one, is refused", async () => {
    const sessionId = await readySession("runs-claim");
    await sendMessage(anthropic, sessionId, "hello");
    const job = await jobFor(sessionId);

    const missing = await call("POST", `/v1/runs/${job.run_id}/claim`, { body: { worker_id: "w" } });
    expect(missing.status).toBe(400);
    expect(errorMessage(missing)).toMatch(/claim_token/);
    const wrong = await call("POST", `/v1/runs/${job.run_id}/claim`, { body: { claim_token: "x".repeat(43), worker_id: "w" } });
    expect(wrong.status).toBe(409);
    expect(errorCode(wrong)).toBe("run_not_claimable");
    const unknown = await call("POST", "/v1/runs/run_doesnotexist0000000000/claim", { body: { claim_token: job.claim_token, worker_id: "w" } });
    expect(unknown.status).toBe(404);

    const claimed = await claim(job);
    expect(claimed).toMatchObject({ type: "run_claim", run_id: job.run_id, session_id: sessionId, attempt: 1, resume: null, egress_port: null });
    expect(claimed.api_key).toMatch(/^s0_/);
    expect(claimed.agent.model).toBe(AGENT_MODEL);
    expect(Object.keys(claimed.agent.tools).sort()).toEqual([...AGENT_TOOL_NAMES].sort());
    for (const tool of Object.values(claimed.agent.tools)) expect(tool).toEqual({ enabled: true, permission: "always_ask" });
    // The runner's first inbox look and its runtime settings come with the claim: the message, and a placeholder for the key.
    expect(claimed.inbox?.map((event) => event.type)).toEqual(["user.message"]);
    expect(claimed.runtime?.settings).toMatchObject({ type: "session_runtime", mode: "boundary", ca_bundle: null });
    expect(claimed.runtime?.settings.env.ANTHROPIC_API_KEY).toMatch(/^s0rt_/);
    expect(claimed.runtime?.settings.env.ANTHROPIC_BASE_URL).toMatch(new RegExp(`/boundary/${sessionId}$`));

    const again = await call("POST", `/v1/runs/${job.run_id}/claim`, { body: { claim_token: job.claim_token, worker_id: "w" } });
    expect(again.status).toBe(409);
    expect(errorCode(again)).toBe("run_not_claimable");

    expect((await anthropic.beta.sessions.retrieve(sessionId)).status).toBe("running");
    expect((await eventsOf(anthropic, sessionId)).map((event) => event.type)).toEqual(["user.message", "session.status_running"]);
    // The key reaches this session's runtime settings and nothing of the console's.
    expect((await call("GET", "/v1/sessions", { key: claimed.api_key })).status).toBe(403);
    // A key minted for a run is the console's own: the API key list (one per turn ever run) leaves it out.
    const keys = await anthropic.get<{ data: { name: string }[] }>("/v1/api_keys", { headers: { "anthropic-beta": BETA_HEADER } });
    const names = keys.data.map((key) => key.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => name.includes(job.run_id))).toEqual([]);
    await finish(claimed, { outcome: "end_turn", agent_sdk_session_id: null });
  });

  it("hands the run its queued user events through the inbox, marking them processed, and takes only the run's own key", async () => {
    const sessionId = await readySession("runs-inbox");
    await sendMessage(anthropic, sessionId, "first");
    const claimed = await claim(await jobFor(sessionId));
    const first = await inbox(claimed);
    expect(first.run_open).toBe(true);
    expect(first.data.map((event) => event.type)).toEqual(["user.message"]);
    expect(first.data[0]?.processed_at).toEqual(expect.any(String));
    const listed = (await eventsOf(anthropic, sessionId)).find((event) => event.type === "user.message");
    expect(listed?.processed_at).toEqual(first.data[0]?.processed_at);

    // Nothing new after the last id: an empty answer once wait_ms is over.
    const started = Date.now();
    expect((await inbox(claimed, `?after=${first.data[0]?.id}&wait_ms=300`)).data).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    // A message sent while it waits wakes it.
    const waiting = inbox(claimed, `?after=${first.data[0]?.id}&wait_ms=10000`);
    await sendMessage(anthropic, sessionId, "second");
    expect((await waiting).data.map((event) => event.type)).toEqual(["user.message"]);

    expect((await call("GET", `/v1/runs/${claimed.run_id}/inbox?wait_ms=soon`, { key: claimed.api_key })).status).toBe(400);
    const badAfter = await call("GET", `/v1/runs/${claimed.run_id}/inbox?after=sevt_nope`, { key: claimed.api_key });
    expect(badAfter.status).toBe(400);
    expect(errorMessage(badAfter)).toMatch(/^after/);
    expect((await call("GET", `/v1/runs/${claimed.run_id}/inbox`, { key: own.ownerKey as string })).status).toBe(403);

    // Another run's key is refused here; an unknown run is a 404.
    const otherSession = await readySession("runs-inbox-other");
    await sendMessage(anthropic, otherSession, "other");
    const other = await claim(await jobFor(otherSession));
    const crossed = await call("GET", `/v1/runs/${claimed.run_id}/inbox`, { key: other.api_key });
    expect(crossed.status).toBe(403);
    expect((await call("GET", "/v1/runs/run_doesnotexist0000000000/inbox", { key: other.api_key })).status).toBe(404);
    await finish(other, { outcome: "end_turn", agent_sdk_session_id: null });
    await finish(claimed, { outcome: "end_turn", agent_sdk_session_id: null });
  });

  it("records the runner's events with their ids, a tool_result only for a tool_use of the run", async () => {
    const sessionId = await readySession("runs-events");
    await sendMessage(anthropic, sessionId, "use a tool");
    const claimed = await claim(await jobFor(sessionId));
    const post = (events: unknown[]) => call("POST", `/v1/runs/${claimed.run_id}/events`, { key: claimed.api_key, body: { events } });

    const unknownUse = await post([{ type: "agent.tool_result", tool_use_id: "sevt_nope", content: [], is_error: false }]);
    expect(unknownUse.status).toBe(400);
    expect(errorMessage(unknownUse)).toMatch(/^events\[0\]\.tool_use_id/);
    const badType = await post([{ type: "user.message", content: [] }]);
    expect(badType.status).toBe(400);

    const used = await post([{ type: "agent.tool_use", name: "bash", input: { command: "ls" }, evaluated_permission: "allow" }]);
    expect(used.status, used.text).toBe(200);
    const toolUse = (used.json as { data: { id: string; type: string }[] }).data[0];
    expect(toolUse).toMatchObject({ type: "agent.tool_use", name: "bash", input: { command: "ls" } });
    const answered = await post([
      { type: "agent.tool_result", tool_use_id: toolUse?.id, content: [{ type: "text", text: "file" }], is_error: false },
      { type: "agent.message", content: [{ type: "text", text: "done" }] },
    ]);
    expect(answered.status, answered.text).toBe(200);
    expect((answered.json as { data: { type: string }[] }).data.map((event) => event.type)).toEqual(["agent.tool_result", "agent.message"]);

    expect((await finish(claimed, { outcome: "end_turn", agent_sdk_session_id: "sdk-session-1" })).status).toBe(200);
    const events = await idleAfter(sessionId, 1);
    expect(events.map((event) => event.type)).toEqual([
      "user.message",
      "session.status_running",
      "agent.tool_use",
      "agent.tool_result",
      "agent.message",
      "session.status_idle",
    ]);
    expect(events.at(-1)).toMatchObject({ stop_reason: { type: "end_turn" } });
    expect((await anthropic.beta.sessions.retrieve(sessionId)).status).toBe("idle");
    // The attempt's key ended with it.
    expect((await call("GET", `/v1/runs/${claimed.run_id}/inbox`, { key: claimed.api_key })).status).toBe(401);
    expect((await post([{ type: "agent.message", content: [{ type: "text", text: "late" }] }])).status).toBe(401);

    // The next turn resumes the Agent SDK session the last one saved.
    await sendMessage(anthropic, sessionId, "again");
    const next = await claim(await jobFor(sessionId, 1));
    expect(next.resume).toBe("sdk-session-1");
    await finish(next, { outcome: "end_turn", agent_sdk_session_id: "sdk-session-1" });
  });

  it("ends a turn that failed with its session.error, then idle", async () => {
    const sessionId = await readySession("runs-error");
    await sendMessage(anthropic, sessionId, "fail");
    const claimed = await claim(await jobFor(sessionId));
    const error = { type: "model_rate_limited_error", message: "The model endpoint answered 429", retry_status: { type: "terminal" } };
    expect((await finish(claimed, { outcome: "error", error, agent_sdk_session_id: null })).status).toBe(200);
    const events = await idleAfter(sessionId, 1);
    expect(events.slice(-2).map((event) => event.type)).toEqual(["session.error", "session.status_idle"]);
    expect(events.at(-2)).toMatchObject({ error });
    expect((await anthropic.beta.sessions.retrieve(sessionId)).status).toBe("idle");
    await expectLastError(anthropic, sessionId, events.at(-2) as BetaManagedAgentsSessionEvent);
  });

  it("retries a run whose runner died once, with a new claim token, then ends it with a session.error", async () => {
    const sessionId = await readySession("runs-died");
    await sendMessage(anthropic, sessionId, "die");
    const job = await jobFor(sessionId);
    const first = await claim(job);
    expect((await finish(first, { outcome: "runner_died", detail: "exit code 137" })).status).toBe(200);

    const retry = await jobFor(sessionId, 1);
    expect(retry.run_id).toBe(job.run_id);
    expect(retry.claim_token).not.toBe(job.claim_token);
    const stale = await call("POST", `/v1/runs/${job.run_id}/claim`, { body: { claim_token: job.claim_token, worker_id: "w" } });
    expect(stale.status).toBe(409);
    const second = await claim(retry);
    expect(second.attempt).toBe(2);
    expect(second.api_key).not.toBe(first.api_key);
    // The retry replays the turn: the inbox hands it the message the first attempt took.
    expect((await inbox(second)).data.map((event) => event.type)).toEqual(["user.message"]);
    expect((await call("GET", `/v1/runs/${first.run_id}/inbox`, { key: first.api_key })).status).toBe(401);

    expect((await finish(second, { outcome: "runner_died", detail: "exit code 1" })).status).toBe(200);
    const events = await idleAfter(sessionId, 1);
    expect(events.map((event) => event.type)).toEqual([
      "user.message",
      "session.status_running",
      "session.status_rescheduled",
      "session.status_running",
      "session.error",
      "session.status_idle",
    ]);
    expect(events.at(-2)).toMatchObject({ error: { type: "unknown_error", retry_status: { type: "terminal" } } });
    expect((events.at(-2) as { error: { message: string } }).error.message).toMatch(/The runner stopped twice.*exit code 1/);
    expect((await anthropic.beta.sessions.retrieve(sessionId)).status).toBe("idle");
    // No third job: the run is over.
    await new Promise((wake) => setTimeout(wake, 1500));
    expect(jobs.filter((each) => each.session_id === sessionId)).toHaveLength(2);
  });

  it("cancels a queued run on user.interrupt: the session goes idle and the job claims nothing", async () => {
    const sessionId = await readySession("runs-interrupt");
    await sendMessage(anthropic, sessionId, "never mind");
    const job = await jobFor(sessionId);
    await anthropic.beta.sessions.events.send(sessionId, { events: [{ type: "user.interrupt" }] });
    const events = await idleAfter(sessionId, 1);
    expect(events.map((event) => event.type)).toEqual(["user.message", "user.interrupt", "session.status_idle"]);
    expect(events.at(-1)).toMatchObject({ stop_reason: { type: "end_turn" } });
    const late = await call("POST", `/v1/runs/${job.run_id}/claim`, { body: { claim_token: job.claim_token, worker_id: "w" } });
    expect(late.status).toBe(409);

    // The next message is a new turn of its own: its run takes only it.
    await sendMessage(anthropic, sessionId, "now");
    const next = await claim(await jobFor(sessionId, 1));
    const taken = await inbox(next);
    expect(taken.data).toHaveLength(1);
    expect(taken.data[0]?.id).toBe((await eventsOf(anthropic, sessionId)).filter((event) => event.type === "user.message").at(-1)?.id);
    await finish(next, { outcome: "end_turn", agent_sdk_session_id: null });
  });

  it("signals a running run's interrupt through its inbox; its interrupted finish leaves the session idle", async () => {
    const sessionId = await readySession("runs-interrupt-running");
    await sendMessage(anthropic, sessionId, "long task");
    const claimed = await claim(await jobFor(sessionId));
    const taken = await inbox(claimed);
    const waiting = inbox(claimed, `?after=${taken.data[0]?.id}&wait_ms=10000`);
    await anthropic.beta.sessions.events.send(sessionId, { events: [{ type: "user.interrupt" }] });
    expect((await waiting).data.map((event) => event.type)).toEqual(["user.interrupt"]);
    expect((await anthropic.beta.sessions.retrieve(sessionId)).status).toBe("running");
    expect((await finish(claimed, { outcome: "interrupted", agent_sdk_session_id: null })).status).toBe(200);
    const events = await idleAfter(sessionId, 1);
    expect(events.map((event) => event.type)).toEqual(["user.message", "session.status_running", "user.interrupt", "session.status_idle"]);
    expect(events.at(-1)).toMatchObject({ stop_reason: { type: "end_turn" } });
    // A finish is once only.
    expect((await finish(claimed, { outcome: "end_turn", agent_sdk_session_id: null })).status).toBe(401);
  });

  it("opens a new run after finish for a user.message that came while the run had stopped taking messages", async () => {
    const sessionId = await readySession("runs-second");
    await sendMessage(anthropic, sessionId, "one");
    const claimed = await claim(await jobFor(sessionId));
    expect((await inbox(claimed)).data).toHaveLength(1);
    await sendMessage(anthropic, sessionId, "two");
    // One run at a time: no job for the second message while the first run is open.
    await new Promise((wake) => setTimeout(wake, 1500));
    expect(jobs.filter((job) => job.session_id === sessionId)).toHaveLength(1);
    await finish(claimed, { outcome: "end_turn", agent_sdk_session_id: null });

    const next = await claim(await jobFor(sessionId, 1));
    expect(next.run_id).not.toBe(claimed.run_id);
    const taken = await inbox(next);
    expect(taken.data.map((event) => event.type)).toEqual(["user.message"]);
    await finish(next, { outcome: "end_turn", agent_sdk_session_id: null });
    const events = await idleAfter(sessionId, 2);
    expect(events.filter((event) => event.type === "session.status_idle")).toHaveLength(2);
  });

  async function rest(claimed: RunClaim, agentSdkSessionId: string | null = null): Promise<{ resting: boolean; rest_seconds: number }> {
    const response = await call("POST", `/v1/runs/${claimed.run_id}/rest`, { key: claimed.api_key, body: { agent_sdk_session_id: agentSdkSessionId } });
    expect(response.status, response.text).toBe(200);
    return response.json as { resting: boolean; rest_seconds: number };
  }

  it("rests a run that answered everything: the turn ends idle, the next message wakes the same run, and an idle interrupt is answered as it is", async () => {
    const sessionId = await readySession("runs-rest");
    await sendMessage(anthropic, sessionId, "one");
    const claimed = await claim(await jobFor(sessionId));
    expect(claimed.rest_seconds).toBe(60);
    const first = await inbox(claimed);
    expect((await call("POST", `/v1/runs/${claimed.run_id}/rest`, { key: claimed.api_key, body: {} })).status).toBe(400);

    // A message it has not taken yet: no rest, nothing recorded.
    await sendMessage(anthropic, sessionId, "two");
    expect(await rest(claimed)).toEqual({ type: "run_rest", run_id: claimed.run_id, resting: false, rest_seconds: 0 });
    const second = await inbox(claimed, `?after=${first.data[0]?.id}`);
    expect(second.data.map((event) => event.type)).toEqual(["user.message"]);

    expect(await rest(claimed, "sdk-rest-1")).toMatchObject({ resting: true, rest_seconds: 60 });
    let events = await idleAfter(sessionId, 1);
    expect(events.map((event) => event.type)).toEqual(["user.message", "session.status_running", "user.message", "session.status_idle"]);
    expect(events.at(-1)).toMatchObject({ stop_reason: { type: "end_turn" } });
    expect((await anthropic.beta.sessions.retrieve(sessionId)).status).toBe("idle");

    // An interrupt while it rests has no turn to stop: the next message is not stopped by it.
    await anthropic.beta.sessions.events.send(sessionId, { events: [{ type: "user.interrupt" }] });
    const waiting = inbox(claimed, `?after=${second.data[0]?.id}&wait_ms=10000`);
    await sendMessage(anthropic, sessionId, "three");
    expect((await waiting).data.map((event) => event.type)).toEqual(["user.message"]);
    expect((await anthropic.beta.sessions.retrieve(sessionId)).status).toBe("running");
    events = await eventsOf(anthropic, sessionId);
    expect(events.slice(-3).map((event) => event.type)).toEqual(["user.interrupt", "user.message", "session.status_running"]);
    // A stream opened now starts at this turn, not at the run's earlier turns.
    const attached = await anthropic.beta.sessions.events.stream(sessionId);
    const firstStreamed = await attached[Symbol.asyncIterator]().next();
    attached.controller.abort();
    expect(firstStreamed.value).toMatchObject({ id: events.at(-2)?.id, type: "user.message" });
    // No new run for it: the resting one took it.
    await new Promise((wake) => setTimeout(wake, 1000));
    expect(jobs.filter((job) => job.session_id === sessionId)).toHaveLength(1);

    // Its runner dies mid-turn: the retry resumes the rested Agent SDK session and replays only the message after the rest.
    expect((await finish(claimed, { outcome: "runner_died", detail: "exit code 137" })).status).toBe(200);
    const retry = await claim(await jobFor(sessionId, 1));
    expect(retry).toMatchObject({ run_id: claimed.run_id, attempt: 2, resume: "sdk-rest-1" });
    expect(retry.inbox?.map((event) => event.id)).toEqual([events.at(-2)?.id]);
    expect((await inbox(retry)).data.map((event) => event.id)).toEqual([events.at(-2)?.id]);

    // Resting again, then finishing when the rest is over closes the run without another idle event.
    expect(await rest(retry, "sdk-rest-2")).toMatchObject({ resting: true });
    expect(await rest(retry, "sdk-rest-2")).toMatchObject({ resting: true });
    const idles = (await idleAfter(sessionId, 2)).filter((event) => event.type === "session.status_idle").length;
    expect((await finish(retry, { outcome: "end_turn", agent_sdk_session_id: "sdk-rest-2" })).status).toBe(200);
    await new Promise((wake) => setTimeout(wake, 500));
    const after = await eventsOf(anthropic, sessionId);
    expect(after.filter((event) => event.type === "session.status_idle")).toHaveLength(idles);
    expect(after.some((event) => event.type === "session.error")).toBe(false);
    expect((await anthropic.beta.sessions.retrieve(sessionId)).status).toBe("idle");
    expect((await call("GET", `/v1/runs/${retry.run_id}/inbox`, { key: retry.api_key })).status).toBe(401);

    // The next message opens a run of its own, which resumes where the rest left off.
    await sendMessage(anthropic, sessionId, "four");
    const next = await claim(await jobFor(sessionId, 2));
    expect(next.run_id).not.toBe(claimed.run_id);
    expect(next.resume).toBe("sdk-rest-2");
    expect(next.inbox).toHaveLength(1);
    await finish(next, { outcome: "end_turn", agent_sdk_session_id: null });
  });

  /** A session whose run answered its message and rests, its runner (the test) waiting in the inbox's long poll. */
  async function restingRun(label: string): Promise<{ sessionId: string; resting: RunClaim; polling: ReturnType<typeof inbox> }> {
    const sessionId = await readySession(label);
    await sendMessage(anthropic, sessionId, "rest after this");
    const resting = await claim(await jobFor(sessionId));
    const taken = await inbox(resting);
    expect(await rest(resting)).toMatchObject({ resting: true });
    return { sessionId, resting, polling: inbox(resting, `?after=${taken.data[0]?.id}&wait_ms=15000`) };
  }

  it("ends a resting run when another run waits for a runner, and its inbox poll answers run_open: false", async () => {
    const { sessionId: restingSession, resting, polling } = await restingRun("runs-rest-release");
    // Resting, no turn is open: a stream opened now starts with what comes next.
    const attached = await anthropic.beta.sessions.events.stream(restingSession);
    const next = attached[Symbol.asyncIterator]().next();
    await anthropic.beta.sessions.events.send(restingSession, { events: [{ type: "user.interrupt" }] });
    expect((await next).value).toMatchObject({ type: "user.interrupt" });
    attached.controller.abort();

    // A run nobody claims: after 2.5 s of waiting, the console ends the resting run for it.
    const waitingSession = await readySession("runs-rest-waiting");
    await sendMessage(anthropic, waitingSession, "my turn");
    const startedAt = Date.now();
    expect(await polling).toEqual({ data: [], run_open: false });
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    expect((await anthropic.beta.sessions.retrieve(restingSession)).status).toBe("idle");
    expect((await call("GET", `/v1/runs/${resting.run_id}/inbox`, { key: resting.api_key })).status).toBe(401);
    const waiting = await claim(await jobFor(waitingSession));
    await finish(waiting, { outcome: "end_turn", agent_sdk_session_id: null });
  });

  it("ends a resting run when its session is archived: its inbox poll answers run_open: false", async () => {
    const { sessionId, resting, polling } = await restingRun("runs-rest-archive");
    const startedAt = Date.now();
    await anthropic.beta.sessions.archive(sessionId);
    expect(await polling).toEqual({ data: [], run_open: false });
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    expect((await call("POST", `/v1/runs/${resting.run_id}/rest`, { key: resting.api_key, body: { agent_sdk_session_id: null } })).status).toBe(401);
  });

  it("ends the turn of a session that is not ready with a session.error naming the failing check and its fix", async () => {
    const session = await createSession(anthropic, prerequisites);
    await sendMessage(anthropic, session.id, "hello");
    const job = await jobFor(session.id);
    const refused = await call("POST", `/v1/runs/${job.run_id}/claim`, { body: { claim_token: job.claim_token, worker_id: "w" } });
    expect(refused.status).toBe(409);
    expect(errorCode(refused)).toBe("session_not_ready");
    const events = await idleAfter(session.id, 1);
    expect(events.map((event) => event.type)).toEqual(["user.message", "session.error", "session.status_idle"]);
    expectNotReadyError(events[1] as BetaManagedAgentsSessionEvent);
    expect((await anthropic.beta.sessions.retrieve(session.id)).status).toBe("idle");
    await expectLastError(anthropic, session.id, events[1] as BetaManagedAgentsSessionEvent);
    expect((await getDiagnostics(anthropic, await readySession("runs-no-error"))).last_error).toBeNull();
  });
});
