// What a session's turn costs on top of the Agent SDK itself (issue 12), in the same run: an https
// stub Anthropic endpoint on loopback (e2e/api/stub-upstream.ts) answers both sides.
//
//   through the console: the official SDK opens `events.stream` on a session whose LLM vault names
//   the stub, then `events.send`s a user.message; the console queues a run, a worker starts a
//   runner, the runner's Agent SDK query() calls the stub through the console's boundary or egress
//   proxy, and its events come back over the stream. Measured: `events.send` → the first
//   `agent.message` on the stream;
//   directly: the same turn by the Agent SDK's query() in this process against the stub (the same
//   bundled Claude Code CLI, the same offline env: loopback base URL, a key,
//   CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1, its own HOME and config dir, plus a dead-end proxy
//   for anything not on loopback). Measured: the message handed to query() → the first assistant
//   message with text.
//
// Two kinds of turn. Follow-ups: one conversation on each side, the CLI up between turns — the
// console's runner rests after each turn, and the direct side holds one query() fed message by
// message, as a developer keeps a conversation with the Agent SDK. First turns: a new session each
// on the console (a claim, a runner, a new CLI in the session's new HOME), a new query() each
// directly, in a new HOME too (Claude Code's first start in one costs about 0.1 s of setup).
//
// Turns alternate direct / console, so drift favours neither; the first of each is a warm-up. After
// every turn the machine gets SETTLE_MS to itself, so what a turn leaves running (its CLI exiting,
// the console's warm pool starting the next runner) is not timed as part of the next turn. The
// difference per turn is what the console adds. Delivery lag: for every event the runner or the
// console recorded, its arrival on the stream against its `processed_at` (one machine, one clock).
// Only loopback traffic: the stub, the console, and a CLI told to send nothing else.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import Anthropic from "@anthropic-ai/sdk";
import type { BetaManagedAgentsStreamSessionEvents } from "@anthropic-ai/sdk/resources/beta/sessions/events";
import { query, type Options, type SDKMessage, type SDKUserMessage } from "@anthropic-ai/claude-agent-sdk";
import { RUNNER_STEPS_FILE, runnerStepsLineSchema, type RunnerSteps } from "@/lib/runner/steps";
import { EgressCertificateAuthority, type EgressCaMaterial } from "@/lib/boundary/egress-ca";
import { anthropicApi, closedPortOrigin, startStubUpstream, STUB_MODEL, type StubUpstream } from "../e2e/api/stub-upstream";
import { percentile, type ComparisonSettings } from "./compare";
import { INTERCEPTED_HOST } from "./egress";
import { isLoopbackHost } from "./loopback";
import { postJson } from "./session";

/** Measured follow-up turns per side, after one warm-up turn each. */
const DEFAULT_TURNS = 20;
/** Measured first turns per side (each a new session): fewer, each costs a session and a runner. */
const DEFAULT_FIRST_TURNS = 8;
/** A turn that takes longer than this has stalled: the CLI starts in seconds even on a busy machine. */
const TURN_TIMEOUT_MS = 120_000;
const PROMPT = "Say hello";
const STUB_ANSWER = ["Hello", " from", " the", " stub"];
const SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/** The quiet pause after each turn: a runner's replacement (node and the Agent SDK's module) starts in well under this. */
const SETTLE_MS = 1500;
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

export interface SessionsSettings extends Pick<ComparisonSettings, "origin" | "apiHeaders" | "canary"> {
  /** The console's owner key, for the official SDK. */
  apiKey: string;
  /** Signs the stub's leaf; the console trusts it through NODE_EXTRA_CA_CERTS, the direct CLI likewise. */
  upstreamCa: EgressCaMaterial;
  upstreamCaPath: string;
  /** Where the direct query() keeps its HOME, config dir and working directory. */
  dir: string;
}

export interface Percentiles {
  p50Ms: number;
  p95Ms: number;
}

/** One kind of turn on both sides. */
export interface TurnComparison {
  turns: number;
  /** The message handed to query() → first assistant text, against the stub directly. */
  direct: Percentiles;
  /** events.send → first agent.message on the stream. */
  console: Percentiles;
  /** console − direct, turn by turn. */
  added: Percentiles;
  /**
   * Where a console turn's time goes, p50 over the measured turns, from the events' processed_at:
   * send → the turn started (session.status_running: the claim, or a resting run woken), → the
   * model's answer starting (span.model_request_start; for a first turn this includes the runner
   * taking its run and the CLI starting), → agent.message recorded, → its arrival on the stream.
   * `directToModel` is the direct side's message → the first streamed model event, the
   * counterpart of the second stage.
   */
  stages: { toClaimed: number; claimedToModel: number; modelToMessage: number; messageDelivered: number; directToModel: number };
}

export interface SessionsResult extends TurnComparison {
  /** First turns: a new session on the console, a new query() directly. The top-level fields are the follow-ups. */
  first: TurnComparison;
  /**
   * The first turns' runner steps, p50 ms from the previous one, when the console recorded them
   * (CONSOLE_RUNNER_STEPS=1): send → the worker has the job → its claim answered → the run handed to a
   * warm runner → read by it → settings and inbox answered → query() called → the CLI's first
   * streamed event → the first text → that text recorded. Empty when none were recorded.
   */
  runnerSteps: Array<{ step: string; p50Ms: number; p95Ms: number }>;
  /** Arrival on the stream − processed_at, over every non-user event of the measured turns. */
  lag: Percentiles & { maxMs: number; events: number };
  /** Requests the stub received carrying the LLM token (the console's side) and the placeholder (never). */
  upstream: { requestsWithToken: number; placeholderSeen: boolean };
}

/** A whole number from 1 to `max` in the environment variable `name`, or `fallback` when it is unset. */
function turnsFromEnv(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const turns = Number(raw);
  if (!Number.isInteger(turns) || turns < 1 || turns > max) throw new Error(`${name} must be a whole number from 1 to ${max}, not "${raw}"`);
  return turns;
}

export const sessionTurnsFromEnv = (): number => turnsFromEnv("BENCH_SESSION_TURNS", DEFAULT_TURNS, 500);
export const firstTurnsFromEnv = (): number => turnsFromEnv("BENCH_SESSION_FIRST_TURNS", DEFAULT_FIRST_TURNS, 100);

function percentiles(values: number[]): Percentiles {
  return { p50Ms: percentile(values, 0.5), p95Ms: percentile(values, 0.95) };
}

// ---------------------------------------------------------------------------------------------
// The direct side

/**
 * The offline env the runner's CLI gets, pointed at the stub itself. A proxy on a closed loopback
 * port, bypassed for loopback only, keeps anything else the CLI might send on this machine.
 */
async function directEnv(settings: SessionsSettings, stub: StubUpstream, homeName: string): Promise<Record<string, string>> {
  const deadEnd = await closedPortOrigin();
  const home = join(settings.dir, homeName);
  const configDir = join(home, ".claude");
  mkdirSync(configDir, { recursive: true });
  return {
    PATH: process.env.PATH ?? SYSTEM_PATH,
    HOME: home,
    CLAUDE_CONFIG_DIR: configDir,
    ANTHROPIC_BASE_URL: stub.origin,
    ANTHROPIC_API_KEY: "direct-call",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    NODE_EXTRA_CA_CERTS: settings.upstreamCaPath,
    HTTPS_PROXY: deadEnd,
    HTTP_PROXY: deadEnd,
    NO_PROXY: "127.0.0.1,localhost",
  };
}

/** The direct side's options for query(), the same for a conversation and a single turn. */
function directOptions(env: Record<string, string>, cwd: string, abort: AbortController): Options {
  return { model: STUB_MODEL, cwd, env, settingSources: [], includePartialMessages: true, abortController: abort };
}

/**
 * A conversation held directly: one query() fed message by message (streaming input), its CLI up
 * between turns. Each turn: the message handed over → the first assistant text, read to the result.
 */
class DirectConversation {
  private readonly abort = new AbortController();
  private readonly messages: SDKUserMessage[] = [];
  private handOver: ((message: SDKUserMessage) => void) | null = null;
  private readonly replies: AsyncIterator<SDKMessage>;

  constructor(env: Record<string, string>, cwd: string) {
    const input: AsyncIterable<SDKUserMessage> = {
      [Symbol.asyncIterator]: () => ({
        next: () => {
          const queued = this.messages.shift();
          if (queued) return Promise.resolve({ value: queued, done: false });
          if (this.abort.signal.aborted) return Promise.resolve({ value: undefined, done: true });
          return new Promise((resolve) => (this.handOver = (message) => resolve({ value: message, done: false })));
        },
      }),
    };
    this.replies = query({ prompt: input, options: directOptions(env, cwd, this.abort) })[Symbol.asyncIterator]();
  }

  async turn(): Promise<{ ms: number; toModelMs: number }> {
    const timer = setTimeout(() => this.abort.abort(), TURN_TIMEOUT_MS);
    const message: SDKUserMessage = { type: "user", message: { role: "user", content: PROMPT }, parent_tool_use_id: null };
    const started = performance.now();
    if (this.handOver) {
      const handOver = this.handOver;
      this.handOver = null;
      handOver(message);
    } else this.messages.push(message);
    let firstText: number | null = null;
    let firstStreamed: number | null = null;
    try {
      for (;;) {
        const next = await this.replies.next();
        if (next.done) throw new Error("the direct conversation's query() ended");
        const reply = next.value;
        if (reply.type === "stream_event" && firstStreamed === null) firstStreamed = performance.now();
        if (reply.type === "assistant" && firstText === null && reply.message.content.some((block) => block.type === "text")) firstText = performance.now();
        if (reply.type === "result") {
          if (reply.is_error) throw new Error(`the direct conversation's turn ended with ${reply.subtype}`);
          break;
        }
      }
    } finally {
      clearTimeout(timer);
    }
    if (firstText === null) throw new Error("the direct conversation's turn ended without an assistant text");
    return { ms: firstText - started, toModelMs: (firstStreamed ?? firstText) - started };
  }

  close(): void {
    this.abort.abort();
    this.handOver?.({ type: "user", message: { role: "user", content: "" }, parent_tool_use_id: null });
  }
}

/** A first turn by a new query() directly: ms to the first assistant text. */
async function directTurn(env: Record<string, string>, cwd: string): Promise<{ ms: number; toModelMs: number }> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), TURN_TIMEOUT_MS);
  const started = performance.now();
  let firstText: number | null = null;
  let firstStreamed: number | null = null;
  let ended = false;
  try {
    const turn = query({ prompt: PROMPT, options: directOptions(env, cwd, abort) });
    for await (const message of turn) {
      if (message.type === "stream_event" && firstStreamed === null) firstStreamed = performance.now();
      if (message.type === "assistant" && firstText === null && message.message.content.some((block) => block.type === "text")) firstText = performance.now();
      if (message.type === "result") {
        if (message.is_error) throw new Error(`the direct query() ended with ${message.subtype}`);
        ended = true;
      }
    }
  } finally {
    clearTimeout(timer);
  }
  if (firstText === null || !ended) throw new Error("the direct query() ended without an assistant text and a result");
  return { ms: firstText - started, toModelMs: (firstStreamed ?? firstText) - started };
}

// ---------------------------------------------------------------------------------------------
// The console side

interface Arrival {
  event: BetaManagedAgentsStreamSessionEvents;
  /** performance.now() and Date.now() when it came off the stream. */
  at: number;
  wallMs: number;
}

/** The session's stream, read in the background; a turn waits on it for the event it needs. */
class StreamTap {
  readonly arrivals: Arrival[] = [];
  private wake: (() => void) | null = null;
  private ended: Error | null = null;

  constructor(private readonly stream: AsyncIterable<BetaManagedAgentsStreamSessionEvents> & { controller: AbortController }) {
    void this.read();
  }

  private async read(): Promise<void> {
    try {
      for await (const event of this.stream) {
        this.arrivals.push({ event, at: performance.now(), wallMs: Date.now() });
        this.wake?.();
      }
      this.ended = new Error("the event stream ended");
    } catch (error) {
      this.ended = error instanceof Error ? error : new Error(String(error));
    }
    this.wake?.();
  }

  /** The first arrival from index `from` on that `matches`, waiting for it. */
  async next(from: number, matches: (event: BetaManagedAgentsStreamSessionEvents) => boolean, deadline: number): Promise<{ arrival: Arrival; index: number }> {
    for (let index = from; ;) {
      for (; index < this.arrivals.length; index++) {
        const arrival = this.arrivals[index];
        if (arrival?.event.type === "session.error") throw new Error(`the session reported an error: ${JSON.stringify(arrival.event).slice(0, 500)}`);
        if (arrival && matches(arrival.event)) return { arrival, index };
      }
      if (this.ended) throw this.ended;
      const left = deadline - performance.now();
      if (left <= 0)
        throw new Error(`no ${matches.name || "expected event"} on the stream within ${TURN_TIMEOUT_MS / 1000} s: is a runner working (CONSOLE_RUNNERS)?`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  close(): void {
    this.stream.controller.abort();
  }
}

const agentMessage = (event: BetaManagedAgentsStreamSessionEvents) => event.type === "agent.message";
const idle = (event: BetaManagedAgentsStreamSessionEvents) => event.type === "session.status_idle";

/** One turn through the console: ms from events.send to the first agent.message, and the stream's arrivals of the turn. */
async function consoleTurn(sdk: Anthropic, sessionId: string, tap: StreamTap): Promise<{ ms: number; arrivals: Arrival[]; sentWallMs: number }> {
  const from = tap.arrivals.length;
  const sentWallMs = Date.now();
  const started = performance.now();
  const deadline = started + TURN_TIMEOUT_MS;
  await sdk.beta.sessions.events.send(sessionId, { events: [{ type: "user.message", content: [{ type: "text", text: PROMPT }] }] });
  const message = await tap.next(from, agentMessage, deadline);
  const end = await tap.next(message.index + 1, idle, deadline);
  return { ms: message.arrival.at - started, arrivals: tap.arrivals.slice(from, end.index + 1), sentWallMs };
}

type TurnStages = Omit<SessionsResult["stages"], "directToModel">;

/** A console turn's stages (see SessionsResult.stages), or null when an event is missing. */
function stagesOf(turn: { arrivals: Arrival[]; sentWallMs: number }): TurnStages | null {
  const recorded = (type: string) => {
    const arrival = turn.arrivals.find(({ event }) => event.type === type);
    const at = arrival && "processed_at" in arrival.event && typeof arrival.event.processed_at === "string" ? Date.parse(arrival.event.processed_at) : null;
    return arrival && at !== null ? { at, arrivedAt: arrival.wallMs } : null;
  };
  const claimed = recorded("session.status_running");
  const model = recorded("span.model_request_start");
  const message = recorded("agent.message");
  if (!claimed || !model || !message) return null;
  return {
    toClaimed: claimed.at - turn.sentWallMs,
    claimedToModel: model.at - claimed.at,
    modelToMessage: message.at - model.at,
    messageDelivered: message.arrivedAt - message.at,
  };
}

/** The operator's setup through the official SDK: an LLM vault naming the stub, an agent, an environment, the session. */
async function createSession(sdk: Anthropic, settings: SessionsSettings, stub: StubUpstream): Promise<{ sessionId: string; vaultId: string }> {
  const suffix = Math.random().toString(16).slice(2, 10);
  const vault = await sdk.beta.vaults.create({
    display_name: `Bench session vault ${suffix}`,
    metadata: {
      "sandbox0.managed_agents.role": "llm",
      "sandbox0.managed_agents.engine": "claude",
      "sandbox0.managed_agents.llm_base_url": stub.origin,
    },
  });
  // Raw, as bench/session.ts does: the SDK's type wants an mcp_server_url, which an LLM vault's unbound bearer has not.
  await postJson(settings, `/v1/vaults/${vault.id}/credentials`, {
    auth: { type: "static_bearer", token: `sk-ant-${settings.canary}-bench-session-${suffix}` },
  });
  const agent = await sdk.beta.agents.create({ name: `Bench session agent ${suffix}`, model: STUB_MODEL });
  const environment = await sdk.beta.environments.create({ name: `bench-session-${suffix}`, config: { type: "cloud", networking: { type: "unrestricted" } } });
  const session = await sdk.beta.sessions.create({ agent: agent.id, environment_id: environment.id, vault_ids: [vault.id] });
  return { sessionId: session.id, vaultId: vault.id };
}

/** The session events routes come with issue 12; without them there is nothing to measure, and the message says so. */
async function requireEventRoutes(sdk: Anthropic, sessionId: string): Promise<void> {
  try {
    await sdk.beta.sessions.events.list(sessionId, { limit: 1 });
  } catch (error) {
    if (error instanceof Anthropic.APIError && (error.status === 404 || error.status === 405)) {
      throw new Error(
        `the sessions part needs the session events routes (GET/POST /v1/sessions/{id}/events, …/events/stream) and a runner; ` +
          `GET /v1/sessions/${sessionId}/events answered ${error.status}: ${error.message}. ` +
          "Run it on a build that has them, or leave it out: BENCH_PARTS=lists,boundary,egress",
      );
    }
    throw error;
  }
}

/** The order of the steps a run records (lib/runner/steps.ts), each timed from the one before it. */
const STEP_ORDER = ["job", "claimed", "handed", "read", "settings", "inbox", "query", "cli_init", "first_stream_event", "first_text", "first_text_posted"];

/**
 * The first turns' runner steps: each session's file has its run's line (written when its first
 * turn ended), each step timed from the one before it that was recorded, the first from the
 * turn's events.send.
 */
function runnerStepsOf(files: string[], sends: number[]): SessionsResult["runnerSteps"] {
  const measured = files.flatMap((file, turn): Array<{ steps: RunnerSteps; sentAt: number }> => {
    if (!existsSync(file)) return [];
    const [line] = readFileSync(file, "utf8")
      .split("\n")
      .filter((each) => each.trim() !== "");
    return line ? [{ steps: runnerStepsLineSchema.parse(JSON.parse(line)).steps, sentAt: sends[turn] as number }] : [];
  });
  const gaps = new Map<string, number[]>(STEP_ORDER.map((step) => [step, []]));
  for (const { steps, sentAt } of measured) {
    let previous = sentAt;
    for (const step of STEP_ORDER) {
      const at = steps[step];
      if (at === undefined) continue;
      gaps.get(step)?.push(at - previous);
      previous = at;
    }
  }
  return STEP_ORDER.filter((step) => (gaps.get(step) ?? []).length > 0).map((step) => ({ step, ...percentilesOf(gaps.get(step) ?? []) }));
}

function percentilesOf(values: number[]): { p50Ms: number; p95Ms: number } {
  return { p50Ms: percentile(values, 0.5), p95Ms: percentile(values, 0.95) };
}

async function startStub(material: EgressCaMaterial): Promise<StubUpstream> {
  const authority = await EgressCertificateAuthority.load(material);
  return startStubUpstream(anthropicApi({ deltas: STUB_ANSWER }), { host: INTERCEPTED_HOST, tls: await authority.leafFor(INTERCEPTED_HOST) });
}

/** Per-turn figures of one kind of turn, gathered as the turns run. */
class TurnLog {
  readonly direct: number[] = [];
  readonly directToModel: number[] = [];
  readonly through: number[] = [];
  readonly stages: TurnStages[] = [];

  add(direct: { ms: number; toModelMs: number }, consoleTurnResult: { ms: number; arrivals: Arrival[]; sentWallMs: number }): void {
    this.direct.push(direct.ms);
    this.directToModel.push(direct.toModelMs);
    this.through.push(consoleTurnResult.ms);
    const stages = stagesOf(consoleTurnResult);
    if (stages) this.stages.push(stages);
  }

  comparison(): TurnComparison {
    const p50 = (pick: (stage: TurnStages) => number) => percentile(this.stages.map(pick), 0.5);
    return {
      turns: this.through.length,
      direct: percentiles(this.direct),
      console: percentiles(this.through),
      added: percentiles(this.through.map((ms, index) => ms - (this.direct[index] ?? Number.NaN))),
      stages: {
        toClaimed: p50((stage) => stage.toClaimed),
        claimedToModel: p50((stage) => stage.claimedToModel),
        modelToMessage: p50((stage) => stage.modelToMessage),
        messageDelivered: p50((stage) => stage.messageDelivered),
        directToModel: percentile(this.directToModel, 0.5),
      },
    };
  }
}

/** A turn in a session of its own, which is archived after it (its resting runner ends with it). */
async function firstTurn(
  sdk: Anthropic,
  settings: SessionsSettings,
  stub: StubUpstream,
): Promise<{ turn: Awaited<ReturnType<typeof consoleTurn>>; sessionId: string }> {
  const session = await createSession(sdk, settings, stub);
  const tap = new StreamTap(await sdk.beta.sessions.events.stream(session.sessionId));
  try {
    return { turn: await consoleTurn(sdk, session.sessionId, tap), sessionId: session.sessionId };
  } finally {
    tap.close();
    await sdk.beta.sessions.archive(session.sessionId);
    await sdk.beta.vaults.archive(session.vaultId).catch(() => undefined);
  }
}

export async function measureSessions(settings: SessionsSettings, turns: number, firstTurns: number): Promise<SessionsResult> {
  if (!isLoopbackHost(new URL(settings.origin).hostname)) throw new Error(`the sessions part runs against a console on loopback, not ${settings.origin}`);
  const stub = await startStub(settings.upstreamCa);
  const sdk = new Anthropic({ baseURL: settings.origin, apiKey: settings.apiKey, maxRetries: 0 });
  let vaultId: string | null = null;
  let tap: StreamTap | null = null;
  let conversation: DirectConversation | null = null;
  try {
    const session = await createSession(sdk, settings, stub);
    vaultId = session.vaultId;
    await requireEventRoutes(sdk, session.sessionId);
    tap = new StreamTap(await sdk.beta.sessions.events.stream(session.sessionId));

    const env = await directEnv(settings, stub, "direct-home");
    const cwd = join(settings.dir, "direct-work");
    mkdirSync(cwd, { recursive: true });
    // Warm-up, and each side's conversation started: the first runner and the first CLI start pay for cold caches.
    conversation = new DirectConversation(env, cwd);
    await conversation.turn();
    await consoleTurn(sdk, session.sessionId, tap);

    const followUps = new TurnLog();
    const lags: number[] = [];
    for (let turn = 0; turn < turns; turn++) {
      await settle();
      const directResult = await conversation.turn();
      await settle();
      const consoleResult = await consoleTurn(sdk, session.sessionId, tap);
      followUps.add(directResult, consoleResult);
      for (const { event, wallMs } of consoleResult.arrivals) {
        // A user event's processed_at is when a run took it, not when it was recorded.
        if (event.type.startsWith("user.") || !("processed_at" in event) || typeof event.processed_at !== "string") continue;
        lags.push(wallMs - Date.parse(event.processed_at));
      }
    }
    // The conversations end (the console's resting runner with its session's archive) before the first turns.
    conversation.close();
    conversation = null;
    tap.close();
    tap = null;
    await sdk.beta.sessions.archive(session.sessionId);

    const firsts = new TurnLog();
    const firstSends: number[] = [];
    const firstSessions: string[] = [];
    for (let turn = 0; turn < firstTurns; turn++) {
      await settle();
      // A new session's runner starts its CLI in a new HOME (nothing of another session's in it),
      // where Claude Code's first start does its one-time setup: so does the direct first turn.
      const directResult = await directTurn(await directEnv(settings, stub, `direct-first-home-${turn}`), cwd);
      await settle();
      const { turn: consoleResult, sessionId } = await firstTurn(sdk, settings, stub);
      firsts.add(directResult, consoleResult);
      firstSends.push(consoleResult.sentWallMs);
      firstSessions.push(sessionId);
    }
    const runnerSteps = runnerStepsOf(
      firstSessions.map((sessionId) => join(settings.dir, "data", "runs", sessionId, RUNNER_STEPS_FILE)),
      firstSends,
    );
    if (runnerSteps.length > 0)
      console.log(
        `[bench] sessions: first turns' runner steps, p50/p95 ms from the step before: ${runnerSteps.map(({ step, p50Ms, p95Ms }) => `${step} ${Math.round(p50Ms)}/${Math.round(p95Ms)}`).join(", ")}`,
      );
    const received = stub.requests.map((request) => String(request.headers["x-api-key"] ?? ""));
    return {
      ...followUps.comparison(),
      first: firsts.comparison(),
      runnerSteps,
      lag: { ...percentiles(lags), maxMs: lags.length > 0 ? Math.max(...lags) : Number.NaN, events: lags.length },
      upstream: {
        requestsWithToken: received.filter((key) => key.includes(settings.canary)).length,
        placeholderSeen: received.some((key) => /^s0(rt|ev)_/.test(key)),
      },
    };
  } finally {
    conversation?.close();
    tap?.close();
    if (vaultId) await sdk.beta.vaults.archive(vaultId).catch(() => undefined);
    await stub.close();
  }
}
