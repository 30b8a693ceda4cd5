// The runner process: runs one session's turn(s) with the Claude Agent SDK, holding nothing but the
// runtime settings (SPEC §7a). lib/runner/launch.ts starts it ahead of any run (a warm pool) with
// exactly RUNNER_ENV, PATH and a HOME of no session's; it loads the Agent SDK, then reads its one run
// from stdin (RunnerStart: the claim with the run's runtime key, the mode, the session's directory),
// so the key is never in its environment or argv. It fetches the runtime settings with that key, takes
// its user events from the run's inbox, drives `query()` with them (streaming input: a message that
// arrives mid-run is the next turn), posts what the SDK reports as session events, keeps
// long-polling the inbox for interrupts and tool confirmations, rests when every message is
// answered (its CLI up for the session's next one, which then starts at once), and ends with
// `finish`. It never prints or writes the placeholder or the key; a failure is reported by kind
// and status.
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import type { CanUseTool, HookCallback, PermissionResult, Query, SDKUserMessage } from "@anthropic-ai/claude-agent-sdk";
import { z } from "zod";

import { ConsoleClient, ConsoleRequestError, type RuntimeSettingsAnswer } from "./console-client";
import { classifyModelFailure, SdkEventMapper, sdkToolOptions, type ModelFailure } from "./event-mapping";
import { EventPoster } from "./event-poster";
import { StepRecorder } from "./steps";
import { warmParsers } from "./warm-parsers";
import { INBOX_WAIT_MAX_MS, inboxEventSchema, RUNNER_ENV, runnerStartSchema, type FinishRequest, type RunnerStart, type SessionErrorObject } from "./protocol";

const runnerEnvSchema = z.object({
  [RUNNER_ENV.consoleUrl]: z.url(),
  PATH: z.string().min(1),
});

/** The one run this process is for, as the worker writes it to stdin; null when stdin closes empty (the pool stopped). */
async function readStart(): Promise<RunnerStart | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  const text = Buffer.concat(chunks).toString("utf8").trim();
  return text === "" ? null : runnerStartSchema.parse(JSON.parse(text));
}

type InboxEvent = z.infer<typeof inboxEventSchema>;
type Confirmation = Extract<InboxEvent, { type: "user.tool_confirmation" }>;

/** How long an interrupted query may take to end its turn before it is closed. */
const INTERRUPT_GRACE_MS = 10_000;

/** An async queue the SDK reads its streaming input from; `close()` ends the input, and so the CLI. */
class InputQueue implements AsyncIterable<SDKUserMessage> {
  private readonly items: SDKUserMessage[] = [];
  private waiting: ((result: IteratorResult<SDKUserMessage>) => void) | null = null;
  private closed = false;

  push(message: SDKUserMessage): void {
    if (this.waiting) {
      const wake = this.waiting;
      this.waiting = null;
      wake({ value: message, done: false });
    } else this.items.push(message);
  }

  close(): void {
    this.closed = true;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = null;
  }

  [Symbol.asyncIterator](): AsyncIterator<SDKUserMessage> {
    return {
      next: () => {
        const item = this.items.shift();
        if (item) return Promise.resolve({ value: item, done: false });
        if (this.closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
    };
  }
}

/** A user.message's content as the Messages API takes it: text, and images and documents by base64 or URL. */
function sdkContent(content: Array<Record<string, unknown>>): SDKUserMessage["message"]["content"] {
  const blocks = content.filter(
    (block) =>
      (block.type === "text" && typeof block.text === "string") ||
      ((block.type === "image" || block.type === "document") &&
        typeof block.source === "object" &&
        block.source !== null &&
        ["base64", "url", "text"].includes(String((block.source as { type?: unknown }).type))),
  );
  return blocks as unknown as SDKUserMessage["message"]["content"];
}

/** The runtime key and the placeholder (also inside the proxy URL): never in a log line or an event. */
const hidden: string[] = [];

function redacted(text: string): string {
  return hidden.reduce((result, value) => result.split(value).join("[redacted]"), text);
}

function errorText(error: unknown): string {
  return redacted(error instanceof Error ? error.message : String(error));
}

/** Settings issued for another CA path (the claim's), pointing at this runner's own file instead. */
function withCaPath(settings: RuntimeSettingsAnswer, issuedFor: string, caPath: string): RuntimeSettingsAnswer {
  return { ...settings, env: Object.fromEntries(Object.entries(settings.env).map(([name, value]) => [name, value === issuedFor ? caPath : value])) };
}

/** The session.error for a failed model request, with nothing of the runner's secrets in its message. */
function modelError(failure: ModelFailure): SessionErrorObject {
  return classifyModelFailure({ ...failure, text: redacted(failure.text) });
}

async function main(): Promise<number> {
  const env = runnerEnvSchema.parse(process.env);
  // Loaded while the process waits for its run (the Agent SDK's module is the slowest part of a
  // start), so a warm runner begins its turn as soon as the claim arrives.
  const sdkModule = import("@anthropic-ai/claude-agent-sdk");
  sdkModule.catch(() => undefined);
  // Node loads its fetch (undici) on the first call, 20–40 ms of one thread: on a warm runner that
  // call was the inbox poll just before query(), on the turn's path. A data: URL loads it here,
  // sending nothing anywhere.
  void fetch("data:,").catch(() => undefined);
  warmParsers();
  const start = await readStart();
  if (!start) return 0;
  const { claim, home } = start;
  const steps = new StepRecorder(start.steps);
  steps.mark("read");
  void sdkModule.then(() => steps.mark("sdk_loaded"));
  hidden.push(claim.api_key);
  const client = new ConsoleClient({
    consoleUrl: env[RUNNER_ENV.consoleUrl],
    apiKey: claim.api_key,
    sessionId: claim.session_id,
    runId: claim.run_id,
  });

  // The settings and the inbox: from the claim when it brought them, else asked for at once, so a
  // turn starts as soon as the slower answers.
  const caPath = join(home, "egress-ca.pem");
  const settingsAnswer = claim.runtime
    ? Promise.resolve(withCaPath(claim.runtime.settings, claim.runtime.ca_path, caPath))
    : client.runtimeSettings(start.mode, caPath);
  void settingsAnswer.then(
    () => steps.mark("settings"),
    () => undefined,
  );
  const workDir = join(home, "work");
  const configDir = join(home, ".claude");
  mkdirSync(workDir, { recursive: true });
  mkdirSync(configDir, { recursive: true });
  // The session's directory is this process's from now on (its files, and /proc/<pid>/cwd names it).
  process.chdir(workDir);

  const toolOptions = sdkToolOptions(claim.agent.tools);
  const mapper = new SdkEventMapper(toolOptions.askTools);
  let activeQuery: Query | null = null;
  let fatal: Error | null = null;
  const poster = new EventPoster(
    (events) => client.postEvents(events),
    (error) => {
      fatal = error;
      stopQuery();
    },
  );

  // ── The inbox: user events in, in order ──────────────────────────────────────────────────
  let after: string | undefined;
  let runOpen = true;
  let interrupted = false;
  const input = new InputQueue();
  /** Uuids of the messages handed to the SDK whose turn has not ended. */
  const unanswered = new Set<string>();
  const confirmations = new Map<string, Confirmation>();
  const confirmationWaiters = new Map<string, (confirmation: Confirmation | null) => void>();
  /** Set while the runner rests: a message taken from the inbox ends the rest, as does SIGTERM. */
  let endRest: (() => void) | null = null;
  /** SIGTERM (its worker stopping): the turn in progress finishes, and the runner does not rest after it. */
  let stopping = false;
  process.on("SIGTERM", () => {
    stopping = true;
    endRest?.();
  });
  /** Interrupts the turn; a query that does not end its turn soon is closed. */
  function stopQuery(): void {
    if (!activeQuery) return;
    const stopping = activeQuery;
    void stopping.interrupt().catch(() => undefined);
    setTimeout(() => stopping.close(), INTERRUPT_GRACE_MS).unref();
  }

  function take(events: InboxEvent[]): void {
    for (const event of events) {
      after = event.id;
      if (event.type === "user.message") {
        const uuid = randomUUID();
        unanswered.add(uuid);
        input.push({ type: "user", message: { role: "user", content: sdkContent(event.content) }, parent_tool_use_id: null, uuid });
        endRest?.();
      } else if (event.type === "user.interrupt") {
        interrupted = true;
        for (const wake of confirmationWaiters.values()) wake(null);
        confirmationWaiters.clear();
        stopQuery();
      } else if (event.type === "user.tool_confirmation") {
        const wake = confirmationWaiters.get(event.tool_use_id);
        if (wake) {
          confirmationWaiters.delete(event.tool_use_id);
          wake(event);
        } else confirmations.set(event.tool_use_id, event);
      }
    }
  }

  async function poll(waitMs: number, signal?: AbortSignal): Promise<void> {
    const answer = await client.inbox(after, waitMs, signal);
    runOpen = answer.run_open;
    take(answer.data.map((event) => inboxEventSchema.parse(event)));
  }

  const firstInbox = claim.inbox ? Promise.resolve(take(claim.inbox.map((event) => inboxEventSchema.parse(event)))) : poll(0);
  const [settings, { query }] = await Promise.all([settingsAnswer, sdkModule, firstInbox.then(() => steps.mark("inbox"))]);
  for (const value of [settings.env.ANTHROPIC_API_KEY, settings.env.ANTHROPIC_AUTH_TOKEN]) {
    if (value) hidden.push(value, encodeURIComponent(value));
  }
  if (settings.ca_bundle) writeFileSync(caPath, settings.ca_bundle, { mode: 0o644 });
  if (unanswered.size === 0 || !runOpen || interrupted) {
    if (runOpen) await client.finish({ outcome: interrupted ? "interrupted" : "end_turn", agent_sdk_session_id: claim.resume });
    return 0;
  }

  // Long-polls while the run goes on. Stopping aborts the poll in flight; the inbox answers the
  // same events after the same cursor, so asking once more before finishing loses nothing it took.
  let polling = new AbortController();
  let poller: Promise<void> = Promise.resolve();
  function startPolling(): void {
    const controller = new AbortController();
    polling = controller;
    poller = (async () => {
      while (!controller.signal.aborted && runOpen) {
        try {
          await poll(INBOX_WAIT_MAX_MS, controller.signal);
        } catch (error) {
          if (controller.signal.aborted) return;
          if (error instanceof ConsoleRequestError && error.status < 500) runOpen = false;
          else await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      }
      // The console ended the run (swept, or cancelled while queued): stop the turn.
      if (!runOpen) stopQuery();
    })();
  }
  async function stopPolling(): Promise<void> {
    polling.abort();
    await poller;
  }

  // ── Tool permissions ─────────────────────────────────────────────────────────────────────
  // The agent's policy decides every call of a toolset tool, before Claude Code's own rules: an
  // always_allow tool runs unasked, an always_ask one asks even where Claude Code would not (a
  // read-only command), which reaches canUseTool below.
  const policyHook: HookCallback = async (hookInput) => {
    if (hookInput.hook_event_name !== "PreToolUse") return { continue: true };
    const decision = toolOptions.allowedTools.includes(hookInput.tool_name) ? "allow" : toolOptions.askTools.has(hookInput.tool_name) ? "ask" : null;
    if (!decision) return { continue: true };
    return { continue: true, hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision: decision } };
  };

  const canUseTool: CanUseTool = async (toolName, toolInput, { toolUseID, signal }): Promise<PermissionResult> => {
    if (toolOptions.allowedTools.includes(toolName)) return { behavior: "allow", updatedInput: toolInput };
    if (!toolOptions.askTools.has(toolName)) return { behavior: "deny", message: `${toolName} is not enabled for this agent` };
    const toolUseEventId = await poster.idOf(toolUseID);
    await poster.enqueue([{ event: { type: "session.status_idle", stop_reason: { type: "requires_action", event_ids: [toolUseEventId] } } }]);
    const confirmation =
      confirmations.get(toolUseEventId) ??
      (interrupted
        ? null
        : await new Promise<Confirmation | null>((resolve) => {
            confirmationWaiters.set(toolUseEventId, resolve);
            signal.addEventListener("abort", () => resolve(null), { once: true });
          }));
    confirmations.delete(toolUseEventId);
    if (!confirmation) return { behavior: "deny", message: "The user interrupted the turn", interrupt: true };
    await poster.enqueue([{ event: { type: "session.status_running" } }]);
    if (confirmation.result === "allow") return { behavior: "allow", updatedInput: toolInput };
    return { behavior: "deny", message: confirmation.deny_message || "The user denied this tool call" };
  };

  // ── The query ────────────────────────────────────────────────────────────────────────────
  const q = query({
    prompt: input,
    options: {
      model: claim.agent.model,
      ...(claim.agent.system ? { systemPrompt: claim.agent.system } : {}),
      ...(claim.resume ? { resume: claim.resume } : {}),
      cwd: workDir,
      // The CLI's whole environment: the session's settings and its own HOME, not this process's.
      env: { ...settings.env, PATH: env.PATH, HOME: home, CLAUDE_CONFIG_DIR: configDir },
      settingSources: [],
      tools: toolOptions.tools,
      permissionMode: "default",
      canUseTool,
      hooks: { PreToolUse: [{ hooks: [policyHook] }] },
      includePartialMessages: true,
    },
  });
  activeQuery = q;
  steps.mark("query");
  // After query(): the CLI's start is the turn's longest step, and the first poll's request need not go before it.
  startPolling();

  let outcome: FinishRequest | null = null;
  /** The Agent SDK session to resume next time: this run's, or the one it resumed. */
  const sdkSessionId = () => mapper.agentSdkSessionId ?? claim.resume;
  /**
   * With every message answered: rests, the CLI up, until the session's next message arrives, the
   * rest runs out or the console ends the run. Returns with the inbox poll stopped.
   */
  const rest = async (): Promise<void> => {
    // The turn's events go first: the console records the idle status after them.
    await poster.settled().catch(() => undefined);
    if (fatal) return;
    const answer = await client.rest({ agent_sdk_session_id: sdkSessionId() }).catch((error: unknown) => {
      process.stderr.write(`runner: could not rest, finishing instead: ${errorText(error)}\n`);
      return null;
    });
    if (!answer?.resting) {
      // Messages arrived since the last look (or no rest is granted): take them, or finish.
      if (answer) await poll(0).catch(() => undefined);
      return;
    }
    steps.write(home, claim.run_id);
    let timer: NodeJS.Timeout | undefined;
    const over = new Promise<void>((resolve) => {
      endRest = resolve;
      timer = setTimeout(resolve, answer.rest_seconds * 1000);
    });
    startPolling();
    await Promise.race([over, poller]);
    clearTimeout(timer);
    endRest = null;
    await stopPolling();
    // The rest ran out: one last look, so a message sent just now is answered rather than left to a new run.
    if (unanswered.size === 0 && runOpen && !stopping) await poll(0).catch(() => undefined);
  };

  /** After a turn's result: true when every message is answered and the input is closed. */
  const allAnswered = async (): Promise<boolean> => {
    if (unanswered.size > 0 && !interrupted) return false;
    await stopPolling();
    if (runOpen && !interrupted) await poll(0).catch(() => undefined);
    if (unanswered.size === 0 && runOpen && !interrupted && !stopping && claim.rest_seconds > 0) await rest();
    if (unanswered.size > 0 && !interrupted) {
      startPolling();
      return false;
    }
    input.close();
    return true;
  };

  try {
    for await (const message of q) {
      const drafts = mapper.map(message);
      if (message.type === "system" && message.subtype === "init") steps.mark("cli_init");
      if (message.type === "stream_event") steps.mark("first_stream_event");
      if (drafts.some((draft) => draft.event.type === "agent.message")) {
        steps.mark("first_text");
        void poster.enqueue(drafts).then(() => steps.mark("first_text_posted"));
      } else void poster.enqueue(drafts);
      if (message.type !== "result") continue;
      if (message.is_error && !interrupted) {
        outcome = {
          outcome: "error",
          error: modelError(mapper.failure ?? { status: null, kind: null, text: message.subtype }),
          agent_sdk_session_id: sdkSessionId(),
        };
        input.close();
        break;
      }
      // The result names the sends its turn consumed (the uuids given them); a CLI that names none
      // of ours is taken at its word on its queue instead.
      const answered = (message.user_message_uuids ?? (message.user_message_uuid ? [message.user_message_uuid] : [])).filter((uuid) => unanswered.has(uuid));
      if (answered.length > 0) for (const uuid of answered) unanswered.delete(uuid);
      else if (!message.queued_turn_count) unanswered.clear();
      if (await allAnswered()) break;
    }
  } catch (error) {
    if (!outcome && !interrupted && mapper.failure) {
      outcome = { outcome: "error", error: modelError(mapper.failure), agent_sdk_session_id: sdkSessionId() };
    } else if (!outcome && !interrupted) {
      process.stderr.write(`runner: the Agent SDK query failed: ${errorText(error)}\n`);
    }
  }
  input.close();
  await stopPolling();
  void poster.enqueue(mapper.closeOpenSpan(true));
  try {
    await poster.settled();
  } catch {
    // reported through `fatal`
  }
  q.close();
  if (fatal) {
    process.stderr.write(`runner: posting events failed: ${errorText(fatal)}\n`);
    return 1;
  }
  if (!runOpen) return 0;
  outcome ??= interrupted
    ? { outcome: "interrupted", agent_sdk_session_id: sdkSessionId() }
    : unanswered.size === 0
      ? { outcome: "end_turn", agent_sdk_session_id: sdkSessionId() }
      : null;
  if (!outcome) {
    process.stderr.write("runner: the Agent SDK ended before answering every message\n");
    return 1;
  }
  await client.finish(outcome);
  steps.write(home, claim.run_id);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`runner: ${errorText(error)}\n`);
    process.exit(1);
  },
);
