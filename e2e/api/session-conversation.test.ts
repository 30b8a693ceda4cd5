// A session that runs, end to end through the official SDK (issue 12): `events.send` then
// `events.stream` yields the agent's answer, produced by a runner the console started on the
// Claude Agent SDK against a scripted model stub; a tool that asks waits for the user's
// confirmation; an interrupt stops the turn. The stub saw the real token; the runner (its
// environment in /proc, its files) holds only its settings: never the token. Runners come from the
// console's warm pool: started before their run, so their environment names no session and no key.
import { readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { dirname, join } from "node:path";

import type { BetaManagedAgentsStreamSessionEvents } from "@anthropic-ai/sdk/resources/beta/sessions/events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { RUNNER_ENV } from "@/lib/runner/protocol";

import { startHttpsStub, type HttpsStub } from "./https-stub";
import { answersToolResult, errorReply, scriptedAnthropic, textReply, toolUseReply, type ScriptedReply } from "./stub-upstream";
import { client, createLlmVaultOn, createSession, guardResponses, setUpRuntimeEnvironment } from "./support";

guardResponses();

const anthropic = client();
const environment = setUpRuntimeEnvironment(anthropic, "conversation");
/** A turn starts Claude Code in a fresh runner (seconds on a busy machine). */
const TURN_TIMEOUT_MS = 90_000;

/** An https model endpoint (the suite's CA, which the console trusts), reachable the same way in boundary and egress mode. */
let stub: HttpsStub;
let reply: (body: string) => ScriptedReply = () => textReply(["unset"]);

beforeAll(async () => {
  stub = await startHttpsStub({ host: "127.0.0.2", handler: scriptedAnthropic((request) => reply(request.body)) });
});

afterAll(async () => {
  await stub?.close();
});

type StreamedEvent = BetaManagedAgentsStreamSessionEvents;

/** A session whose LLM vault points at the stub, with the token only the stub may see. */
async function sessionOnStub(label: string): Promise<{ sessionId: string; token: string }> {
  stub.clear();
  const llm = await createLlmVaultOn(anthropic, `conversation-${label}`, stub.origin);
  const session = await createSession(anthropic, environment.prerequisites, { vault_ids: [llm.vault.id] });
  return { sessionId: session.id, token: llm.token };
}

/** The session's stream, read event by event until a predicate matches. */
async function openStream(sessionId: string) {
  const stream = await anthropic.beta.sessions.events.stream(sessionId);
  const iterator = stream[Symbol.asyncIterator]();
  const seen: StreamedEvent[] = [];
  return {
    seen,
    async until<Matched extends StreamedEvent>(match: (event: StreamedEvent) => event is Matched): Promise<Matched> {
      for (;;) {
        const next = await iterator.next();
        if (next.done) throw new Error(`the stream ended; seen: ${seen.map((event) => event.type).join(", ")}`);
        seen.push(next.value);
        if (match(next.value)) return next.value;
      }
    },
    close: () => stream.controller.abort(),
  };
}

/** Matches the events of one type, typed as such. */
function ofType<Type extends StreamedEvent["type"]>(type: Type) {
  return (event: StreamedEvent): event is Extract<StreamedEvent, { type: Type }> => event.type === type;
}
const isIdle = ofType("session.status_idle");
const isEndTurn = (event: StreamedEvent): event is Extract<StreamedEvent, { type: "session.status_idle" }> =>
  isIdle(event) && event.stop_reason.type === "end_turn";

function sendMessage(sessionId: string, text: string) {
  return anthropic.beta.sessions.events.send(sessionId, { events: [{ type: "user.message", content: [{ type: "text", text }] }] });
}

/**
 * The live runner process of a session: an agent-runner whose working directory is the session's
 * (a warm runner moves there when its run arrives; root reads every process's). Its environment,
 * and its HOME's files from the session directory.
 */
function runnerOf(sessionId: string): { pid: number; environ: string; sessionDir: string } | null {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (!cmdline.includes("agent-runner")) continue;
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if (cwd.endsWith(`/${sessionId}/work`)) return { pid: Number(entry), environ: readFileSync(`/proc/${entry}/environ`, "utf8"), sessionDir: dirname(cwd) };
    } catch {
      // gone, or not ours to read
    }
  }
  return null;
}

/** Seconds since boot, the clock /proc/<pid>/stat counts process starts in (USER_HZ, 100 a second on Linux). */
function uptimeSeconds(): number {
  return Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);
}
function startedAtSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]) / 100;
}

function filesUnder(dir: string): Array<{ path: string; text: string }> {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ path, text: readFileSync(path, "latin1") }));
}

function expectStubSawToken(token: string): void {
  expect(stub.requests.length, "requests the stub received").toBeGreaterThan(0);
  for (const request of stub.requests) {
    expect(request.headers["x-api-key"] === token || request.headers.authorization === `Bearer ${token}`, `${request.path} carried the real token`).toBe(true);
  }
}

describe("a session that runs", () => {
  it(
    "events.send then events.stream: the stub's text arrives as agent.message, then the session is idle",
    async () => {
      reply = () => textReply(["Hello", " from", " the", " runner"]);
      const { sessionId, token } = await sessionOnStub("text");
      await sendMessage(sessionId, "Say hello");
      const stream = await openStream(sessionId);
      try {
        await stream.until(isEndTurn);
      } finally {
        stream.close();
      }
      const types = stream.seen.map((event) => event.type);
      expect(types[0]).toBe("user.message");
      expect(types).toContain("session.status_running");
      expect(types).toContain("span.model_request_start");
      expect(types).toContain("span.model_request_end");
      expect(stream.seen.find((event) => event.type === "agent.message")).toMatchObject({ content: [{ type: "text", text: "Hello from the runner" }] });
      expectStubSawToken(token);

      const session = await anthropic.beta.sessions.retrieve(sessionId);
      expect(session.status).toBe("idle");
    },
    TURN_TIMEOUT_MS,
  );

  it(
    "a follow-up is answered by the same runner, its CLI still up, with the conversation so far",
    async () => {
      reply = (body) => textReply(body.includes("Second question") ? ["Second", " answer"] : ["First", " answer"]);
      const { sessionId } = await sessionOnStub("follow-up");
      const stream = await openStream(sessionId);
      try {
        await sendMessage(sessionId, "First question");
        await stream.until(isEndTurn);
        // Resting: the turn is over, its runner waits for the next message.
        expect((await anthropic.beta.sessions.retrieve(sessionId)).status).toBe("idle");
        const resting = runnerOf(sessionId);
        expect(resting, "the session's resting runner").not.toBeNull();

        await sendMessage(sessionId, "Second question");
        await stream.until(isEndTurn);
        expect(runnerOf(sessionId)?.pid).toBe(resting?.pid);
      } finally {
        stream.close();
      }
      const said = stream.seen.flatMap((event) => (event.type === "agent.message" ? event.content.map((block) => ("text" in block ? block.text : "")) : []));
      expect(said).toEqual(["First answer", "Second answer"]);
      // One running, one idle per turn, in order.
      expect(stream.seen.filter((event) => event.type.startsWith("session.status_")).map((event) => event.type)).toEqual([
        "session.status_running",
        "session.status_idle",
        "session.status_running",
        "session.status_idle",
      ]);
      // The second model call carried the first turn: the same conversation, not a new one.
      const second = stub.requests.find((request) => request.body.includes("Second question"));
      expect(second?.body).toContain("First question");
      expect(second?.body).toContain("First answer");
    },
    TURN_TIMEOUT_MS,
  );

  it(
    "asks before a tool runs: tool_use and requires_action, the runner holding no token meanwhile; on confirmation the result and the answer",
    async () => {
      reply = (body) => (answersToolResult(body) ? textReply(["The command said hi"]) : toolUseReply("Bash", { command: "echo hi", description: "Say hi" }));
      const { sessionId, token } = await sessionOnStub("tool");
      const sentAt = uptimeSeconds();
      await sendMessage(sessionId, "Run echo hi");
      const stream = await openStream(sessionId);
      try {
        const toolUse = await stream.until(ofType("agent.tool_use"));
        expect(toolUse).toMatchObject({ name: "bash", input: { command: "echo hi" }, evaluated_permission: "ask" });
        const idle = await stream.until(isIdle);
        expect(idle).toMatchObject({ stop_reason: { type: "requires_action", event_ids: [toolUse.id] } });

        // The runner waits for the confirmation: read what it holds. Its environment is what it
        // was started with before any run: no session, no key (a console key starts with s0_), no token.
        const runner = runnerOf(sessionId);
        expect(runner, "the session's runner process").not.toBeNull();
        const variables = (runner?.environ ?? "").split("\0").filter(Boolean);
        expect(variables.map((variable) => variable.split("=")[0]).sort()).toEqual([...Object.values(RUNNER_ENV), "HOME", "PATH"].sort());
        expect(runner?.environ).not.toContain(token);
        expect(runner?.environ).not.toContain(sessionId);
        expect(runner?.environ).not.toMatch(/s0_/);
        // A warm runner: started before the message was sent, so nothing of the run could be in its environment.
        expect(startedAtSeconds(runner?.pid ?? 0)).toBeLessThan(sentAt);
        const files = filesUnder(runner?.sessionDir ?? "");
        expect(files.length).toBeGreaterThan(0);
        for (const file of files) expect(file.text.includes(token), `${file.path} holds the real token`).toBe(false);

        await anthropic.beta.sessions.events.send(sessionId, { events: [{ type: "user.tool_confirmation", tool_use_id: toolUse.id, result: "allow" }] });
        const result = await stream.until(ofType("agent.tool_result"));
        expect(result).toMatchObject({ tool_use_id: toolUse.id, is_error: false });
        expect(JSON.stringify(result)).toContain("hi");
        await stream.until(isEndTurn);
      } finally {
        stream.close();
      }
      expect(stream.seen.filter((event) => event.type === "agent.message").at(-1)).toMatchObject({ content: [{ type: "text", text: "The command said hi" }] });
      expectStubSawToken(token);
    },
    TURN_TIMEOUT_MS,
  );

  it(
    "user.interrupt stops the turn mid-answer and the session goes idle",
    async () => {
      const slow = Array.from({ length: 80 }, (_, index) => `word${index} `);
      reply = () => textReply(slow, 250);
      const { sessionId } = await sessionOnStub("interrupt");
      await sendMessage(sessionId, "Talk slowly");
      const stream = await openStream(sessionId);
      try {
        await stream.until(ofType("span.model_request_start"));
        const interruptedAt = Date.now();
        await anthropic.beta.sessions.events.send(sessionId, { events: [{ type: "user.interrupt" }] });
        await stream.until(isEndTurn);
        // Well before the 20 s the whole answer would take.
        expect(Date.now() - interruptedAt).toBeLessThan(15_000);
      } finally {
        stream.close();
      }
      // Interrupted mid-answer: no message, or (when the interrupt took longer than the first words,
      // as on a loaded machine) Claude Code's partial one, never the whole answer.
      const said = stream.seen
        .flatMap((event) => (event.type === "agent.message" ? event.content.map((block) => ("text" in block ? block.text : "")) : []))
        .join("");
      expect(said).not.toContain("word79");
      expect(stub.requests.some((request) => request.clientGone)).toBe(true);
    },
    TURN_TIMEOUT_MS,
  );
});

describe("a turn that cannot finish", () => {
  it(
    "a runner killed mid-turn (SIGKILL) is retried once: the session says so, and the retry answers",
    async () => {
      let calls = 0;
      // The first attempt's answer is slow enough to kill its runner mid-stream; the retry's is quick.
      reply = () =>
        ++calls === 1
          ? textReply(
              Array.from({ length: 80 }, (_, index) => `slow${index} `),
              250,
            )
          : textReply(["Answered", " on retry"]);
      const { sessionId } = await sessionOnStub("killed");
      const stream = await openStream(sessionId);
      try {
        await sendMessage(sessionId, "Take your time");
        await stream.until(ofType("span.model_request_start"));
        const runner = runnerOf(sessionId);
        expect(runner, "the session's runner process").not.toBeNull();
        process.kill(runner?.pid ?? 0, "SIGKILL");
        await stream.until(ofType("session.status_rescheduled"));
        await stream.until(isEndTurn);
      } finally {
        stream.close();
      }
      const messages = stream.seen.filter((event) => event.type === "agent.message");
      expect(messages.at(-1)).toMatchObject({ content: [{ type: "text", text: "Answered on retry" }] });
      expect(stream.seen.some((event) => event.type === "session.error")).toBe(false);
      expect((await anthropic.beta.sessions.retrieve(sessionId)).status).toBe("idle");
    },
    TURN_TIMEOUT_MS,
  );

  it(
    "an endpoint that refuses the token ends the turn with model_request_failed_error and its fix, which diagnostics show",
    async () => {
      reply = () => errorReply(401, "authentication_error", "invalid x-api-key");
      const { sessionId, token } = await sessionOnStub("refused");
      const stream = await openStream(sessionId);
      let error: Extract<StreamedEvent, { type: "session.error" }> | undefined;
      try {
        await sendMessage(sessionId, "Hello?");
        error = await stream.until(ofType("session.error"));
        await stream.until(isEndTurn);
      } finally {
        stream.close();
      }
      expect(error?.error).toMatchObject({ type: "model_request_failed_error", retry_status: { type: "terminal" } });
      expect(error?.error.message).toContain("refused the token");
      expect(error?.error.message).toMatch(/rotate/i);
      expect(error?.error.message).not.toContain(token);
      const diagnostics = await anthropic.get<{ last_error: { event_id: string; type: string } | null }>(`/v1/sessions/${sessionId}/diagnostics`, {
        headers: { "anthropic-beta": "managed-agents-2026-04-01" },
      });
      expect(diagnostics.last_error).toMatchObject({ event_id: error?.id, type: "model_request_failed_error" });
      expectStubSawToken(token);
    },
    TURN_TIMEOUT_MS,
  );

  it(
    "a rate-limited endpoint ends the turn with model_rate_limited_error",
    async () => {
      reply = () => errorReply(429, "rate_limit_error", "slow down");
      const { sessionId } = await sessionOnStub("rate-limited");
      const stream = await openStream(sessionId);
      try {
        await sendMessage(sessionId, "Hello?");
        const error = await stream.until(ofType("session.error"));
        expect(error.error.type).toBe("model_rate_limited_error");
        await stream.until(isEndTurn);
      } finally {
        stream.close();
      }
    },
    TURN_TIMEOUT_MS,
  );

  it(
    "an endpoint that is not Anthropic-compatible (no /v1/messages, as an OpenAI-compatible server answers) ends the turn saying so, with the fix",
    async () => {
      // An OpenAI-shaped llm_base_url is refused when the vault is made; one that only behaves so is found at the first turn.
      reply = () => errorReply(404, "not_found_error", "Unknown request URL: POST /v1/messages. Please check the URL and try again.");
      const { sessionId } = await sessionOnStub("not-anthropic");
      const stream = await openStream(sessionId);
      try {
        await sendMessage(sessionId, "Hello?");
        const error = await stream.until(ofType("session.error"));
        expect(error.error.type).toBe("model_request_failed_error");
        expect(error.error.message).toContain("not Anthropic-compatible");
        await stream.until(isEndTurn);
      } finally {
        stream.close();
      }
    },
    TURN_TIMEOUT_MS,
  );
});
