// The runner process on its own (lib/runner/agent-runner.ts started by launchRunner), against a
// fake console (fake-run-console.ts: runtime settings, a placeholder-swapping boundary, the run
// routes) and the scripted model stub: a text turn, an always_ask tool confirmed through the
// inbox, an interrupt mid-stream, and a token the model refuses, each ending with the finish the
// protocol says. The runner runs in its own network namespace when the suite runs as root, and
// holds only RUNNER_ENV, PATH and HOME in its environment (its run, key included, comes over its
// stdin): never the real token or the key there, nor the token in its files.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { launchRunner, type LaunchedRunner } from "@/lib/runner/launch";
import { netnsUnavailable } from "@/lib/runner/netns";
import { AGENT_TOOL_NAMES, RUNNER_ENV, type ToolPolicy } from "@/lib/runner/protocol";

import { startFakeRunConsole, type FakeRunConsole, type StoredEvent } from "./fake-run-console";
import {
  STUB_MODEL,
  answersToolResult,
  errorReply,
  scriptedAnthropic,
  startStubUpstream,
  textReply,
  toolUseReply,
  type ScriptedReply,
  type StubUpstream,
} from "./stub-upstream";

/** A runner starts Claude Code (a second or two) and runs one turn against a local stub. */
const TURN_TIMEOUT_MS = 60_000;

/** Every tool of the toolset enabled, each asking first: the default policy. */
const ASK_ALL = Object.fromEntries(AGENT_TOOL_NAMES.map((name) => [name, { enabled: true, permission: "always_ask" }])) as ToolPolicy;

let workRoot: string;
let stub: StubUpstream;
let reply: (body: string) => ScriptedReply = () => textReply(["unset"]);

beforeAll(async () => {
  workRoot = mkdtempSync(join(tmpdir(), "runner-test-"));
  stub = await startStubUpstream(scriptedAnthropic((request) => reply(request.body)));
});

afterAll(async () => {
  await stub?.close();
  if (workRoot) rmSync(workRoot, { recursive: true, force: true });
});

/** Every file under the directory, as text. */
function filesUnder(dir: string): Array<{ path: string; text: string }> {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ path, text: readFileSync(path, "latin1") }));
}

/** A runner for a fresh fake session, the stub answering with `script`. */
async function startRun(label: string, script: (body: string) => ScriptedReply, session: { id?: string; resume?: string | null; tools?: ToolPolicy } = {}) {
  reply = script;
  stub.clear();
  const sessionId = session.id ?? `sesn_${label}${Date.now()}`;
  const fake = await startFakeRunConsole({
    sessionId,
    upstreamOrigin: stub.origin,
    model: STUB_MODEL,
    tools: session.tools ?? ASK_ALL,
    resume: session.resume,
  });
  const runner = await launchRunner(fake.claim, { consoleUrl: fake.origin, egressPort: null, workRoot, isolate: true });
  return { fake, runner };
}

/** The run's finish, and the runner's exit after it (a runner that exits without finishing fails the test). */
async function finish(fake: FakeRunConsole, runner: LaunchedRunner) {
  const outcome = await Promise.race([
    fake.finished,
    runner.exited.then((exit) => Promise.reject(new Error(`the runner exited (${JSON.stringify(exit)}) without finishing`))),
  ]);
  const exit = await runner.exited;
  await fake.close();
  return { outcome, exit };
}

const ofType = (type: string) => (event: StoredEvent) => event.type === type;

describe("the runner process against a fake console", () => {
  it(
    "answers a message: agent.message with the model's text, a span with usage, finish end_turn; nothing but its settings in its environment",
    async () => {
      const { fake, runner } = await startRun("text", () => textReply(["Hello", " from", " the", " runner"]));
      const environ = readFileSync(`/proc/${runner.pid}/environ`, "utf8");
      fake.send({ type: "user.message", content: [{ type: "text", text: "Say hello" }] });
      const { outcome, exit } = await finish(fake, runner);

      expect(outcome).toMatchObject({ outcome: "end_turn", agent_sdk_session_id: expect.any(String) });
      expect(exit.code).toBe(0);
      const types = fake.events.map((event) => event.type);
      expect(types).toEqual(["user.message", "span.model_request_start", "agent.message", "span.model_request_end"]);
      const [, start, message, end] = fake.events;
      expect(message).toMatchObject({ content: [{ type: "text", text: "Hello from the runner" }] });
      expect(end).toMatchObject({
        model_request_start_id: start?.id,
        is_error: false,
        model_usage: { input_tokens: 11, output_tokens: 4, cache_creation_input_tokens: 0, cache_read_input_tokens: 3 },
      });

      // The model saw the real token, through the boundary; the runner only ever held the placeholder.
      expect(stub.requests.length).toBeGreaterThan(0);
      for (const request of stub.requests) expect(request.headers["x-api-key"]).toBe(fake.realToken);
      const variables = environ.split("\0").filter(Boolean);
      expect(variables.map((variable) => variable.split("=")[0]).sort()).toEqual([...Object.values(RUNNER_ENV), "HOME", "PATH"].sort());
      expect(environ).not.toContain(fake.realToken);
      expect(environ).not.toContain(fake.placeholder);
      expect(environ).not.toContain(fake.claim.api_key);
      expect(environ).not.toContain(fake.claim.session_id);
      const files = filesUnder(join(workRoot, fake.claim.session_id));
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        expect(file.text.includes(fake.realToken), `${file.path} holds the real token`).toBe(false);
        expect(file.text.includes(fake.placeholder), `${file.path} holds the placeholder`).toBe(false);
        expect(file.text.includes(fake.claim.api_key), `${file.path} holds the runtime key`).toBe(false);
      }
    },
    TURN_TIMEOUT_MS,
  );

  it(
    "asks before an always_ask tool: tool_use (ask) and requires_action, then on confirmation the tool's result and the final text",
    async () => {
      const { fake, runner } = await startRun("tool", (body) =>
        answersToolResult(body) ? textReply(["The command said hi"]) : toolUseReply("Bash", { command: "echo hi", description: "Say hi" }),
      );
      fake.send({ type: "user.message", content: [{ type: "text", text: "Run echo hi" }] });
      const toolUse = await fake.waitForEvent(ofType("agent.tool_use"), TURN_TIMEOUT_MS);
      expect(toolUse).toMatchObject({ name: "bash", input: { command: "echo hi" }, evaluated_permission: "ask" });
      const idle = await fake.waitForEvent(ofType("session.status_idle"), TURN_TIMEOUT_MS);
      expect(idle).toMatchObject({ stop_reason: { type: "requires_action", event_ids: [toolUse.id] } });
      // Nothing runs before the confirmation.
      expect(fake.events.some(ofType("agent.tool_result"))).toBe(false);

      fake.send({ type: "user.tool_confirmation", tool_use_id: toolUse.id, result: "allow" });
      const { outcome } = await finish(fake, runner);
      expect(outcome).toMatchObject({ outcome: "end_turn" });
      const types = fake.events.map((event) => event.type);
      expect(types.indexOf("session.status_running")).toBeGreaterThan(types.indexOf("user.tool_confirmation"));
      const result = fake.events.find(ofType("agent.tool_result"));
      expect(result).toMatchObject({ tool_use_id: toolUse.id, is_error: false });
      expect(JSON.stringify(result?.content)).toContain("hi");
      expect(fake.events.filter(ofType("agent.message")).at(-1)).toMatchObject({ content: [{ type: "text", text: "The command said hi" }] });
    },
    TURN_TIMEOUT_MS,
  );

  it(
    "runs an always_allow tool without asking, and gives a denied tool's message to the model as an error result",
    async () => {
      const echoHi = (body: string) =>
        answersToolResult(body) ? textReply(["after the tool"]) : toolUseReply("Bash", { command: "echo hi", description: "Say hi" });
      const allowed = await startRun("allow", echoHi, { tools: { ...ASK_ALL, bash: { enabled: true, permission: "always_allow" } } });
      allowed.fake.send({ type: "user.message", content: [{ type: "text", text: "Run echo hi" }] });
      expect((await finish(allowed.fake, allowed.runner)).outcome).toMatchObject({ outcome: "end_turn" });
      expect(allowed.fake.events.map((event) => event.type)).not.toContain("session.status_idle");
      expect(allowed.fake.events.find(ofType("agent.tool_use"))).toMatchObject({ name: "bash", evaluated_permission: "allow" });
      expect(allowed.fake.events.find(ofType("agent.tool_result"))).toMatchObject({ is_error: false });

      const denied = await startRun("deny", echoHi);
      denied.fake.send({ type: "user.message", content: [{ type: "text", text: "Run echo hi" }] });
      const toolUse = await denied.fake.waitForEvent(ofType("agent.tool_use"), TURN_TIMEOUT_MS);
      await denied.fake.waitForEvent(ofType("session.status_idle"), TURN_TIMEOUT_MS);
      denied.fake.send({ type: "user.tool_confirmation", tool_use_id: toolUse.id, result: "deny", deny_message: "Not on this machine" });
      expect((await finish(denied.fake, denied.runner)).outcome).toMatchObject({ outcome: "end_turn" });
      const result = denied.fake.events.find(ofType("agent.tool_result"));
      expect(result).toMatchObject({ tool_use_id: toolUse.id, is_error: true });
      expect(JSON.stringify(result?.content)).toContain("Not on this machine");
      const toModel = stub.requests.filter((request) => answersToolResult(request.body)).at(-1);
      expect(toModel?.body).toContain("Not on this machine");
    },
    2 * TURN_TIMEOUT_MS,
  );

  it(
    "keeps the conversation: a later run resumes the Agent SDK session an earlier one reported, in the same session directory",
    async () => {
      const first = await startRun("resume", () => textReply(["Noted"]));
      first.fake.send({ type: "user.message", content: [{ type: "text", text: "Remember the word apricot" }] });
      const { outcome } = await finish(first.fake, first.runner);
      expect(outcome).toMatchObject({ outcome: "end_turn", agent_sdk_session_id: expect.any(String) });
      const resume = outcome.outcome === "end_turn" ? outcome.agent_sdk_session_id : null;

      const second = await startRun("resume", () => textReply(["apricot"]), { id: first.fake.claim.session_id, resume });
      second.fake.send({ type: "user.message", content: [{ type: "text", text: "Which word?" }] });
      const { outcome: secondOutcome } = await finish(second.fake, second.runner);
      expect(secondOutcome).toMatchObject({ outcome: "end_turn", agent_sdk_session_id: resume });
      const asked = stub.requests.filter((request) => request.path.endsWith("/v1/messages")).at(-1);
      expect(asked?.body).toContain("Remember the word apricot");
      expect(asked?.body).toContain("Which word?");
    },
    2 * TURN_TIMEOUT_MS,
  );

  it(
    "takes a message that arrives mid-turn as the next turn, and finishes once both are answered",
    async () => {
      let call = 0;
      const { fake, runner } = await startRun("second", () => (++call === 1 ? textReply(["first ", "answer"], 400) : textReply(["second answer"])));
      fake.send({ type: "user.message", content: [{ type: "text", text: "One" }] });
      await fake.waitForEvent(ofType("span.model_request_start"), TURN_TIMEOUT_MS);
      fake.send({ type: "user.message", content: [{ type: "text", text: "Two" }] });
      const { outcome } = await finish(fake, runner);
      expect(outcome).toMatchObject({ outcome: "end_turn" });
      expect(fake.events.filter(ofType("agent.message")).map((event) => event.content)).toEqual([
        [{ type: "text", text: "first answer" }],
        [{ type: "text", text: "second answer" }],
      ]);
    },
    TURN_TIMEOUT_MS,
  );

  it(
    "stops on user.interrupt mid-stream and finishes interrupted",
    async () => {
      const slow = Array.from({ length: 60 }, (_, index) => `word${index} `);
      const { fake, runner } = await startRun("interrupt", () => textReply(slow, 250));
      fake.send({ type: "user.message", content: [{ type: "text", text: "Talk slowly" }] });
      await fake.waitForEvent(ofType("span.model_request_start"), TURN_TIMEOUT_MS);
      const interruptedAt = Date.now();
      fake.send({ type: "user.interrupt" });
      const { outcome, exit } = await finish(fake, runner);
      expect(outcome).toMatchObject({ outcome: "interrupted" });
      expect(exit.code).toBe(0);
      // Well before the 15 s the whole answer would take.
      expect(Date.now() - interruptedAt).toBeLessThan(10_000);
      expect(stub.requests.some((request) => request.clientGone)).toBe(true);
    },
    TURN_TIMEOUT_MS,
  );

  it(
    "finishes with model_request_failed_error and its fix when the endpoint refuses the token",
    async () => {
      const { fake, runner } = await startRun("refused", () => errorReply(401, "authentication_error", "invalid x-api-key"));
      fake.send({ type: "user.message", content: [{ type: "text", text: "Say hello" }] });
      const { outcome, exit } = await finish(fake, runner);
      expect(exit.code).toBe(0);
      expect(outcome).toMatchObject({ outcome: "error", error: { type: "model_request_failed_error", retry_status: { type: "terminal" } } });
      const message = outcome.outcome === "error" ? outcome.error.message : "";
      expect(message).toMatch(/^The LLM endpoint refused the token: HTTP 401/);
      expect(message).toContain("rotate the LLM credential's token in its vault, then send the message again");
      expect(fake.events.some(ofType("agent.message")), "Claude Code's error text is not the agent's message").toBe(false);
    },
    TURN_TIMEOUT_MS,
  );
});

if (netnsUnavailable()) console.warn(`[runner] these runs were not isolated: ${netnsUnavailable()}`);
