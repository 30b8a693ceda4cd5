import type { SDKMessage } from "@anthropic-ai/claude-agent-sdk";
import { describe, expect, it } from "vitest";

import { classifyModelFailure, SdkEventMapper, sdkToolOptions, type DraftEvent } from "./event-mapping";
import { AGENT_TOOL_NAMES, type ToolPolicy } from "./protocol";

const SESSION = { session_id: "b9e0c7a2-0000-4000-8000-000000000001", uuid: "00000000-0000-4000-8000-000000000002" };

/** An SDK message as Claude Code sends it, with only the fields the mapping reads filled in. */
function sdk(message: Record<string, unknown>): SDKMessage {
  return { ...SESSION, parent_tool_use_id: null, ...message } as unknown as SDKMessage;
}

const stream = (event: Record<string, unknown>) => sdk({ type: "stream_event", event });
const assistant = (content: unknown[], extra: Record<string, unknown> = {}) => sdk({ type: "assistant", message: { content }, ...extra });
const events = (drafts: DraftEvent[]) => drafts.map((draft) => draft.event);

function policy(overrides: Partial<ToolPolicy> = {}): ToolPolicy {
  const all = Object.fromEntries(AGENT_TOOL_NAMES.map((name) => [name, { enabled: true, permission: "always_ask" }])) as ToolPolicy;
  return { ...all, ...overrides };
}

describe("sdkToolOptions", () => {
  it("offers the enabled tools by Claude Code's names, runs always_allow ones unasked and asks for the rest", () => {
    const options = sdkToolOptions(policy({ bash: { enabled: true, permission: "always_allow" }, web_search: { enabled: false, permission: "always_ask" } }));
    expect(options.tools).toEqual(["Bash", "Edit", "Read", "Write", "Glob", "Grep", "WebFetch"]);
    expect(options.allowedTools).toEqual(["Bash"]);
    expect([...options.askTools]).toEqual(["Edit", "Read", "Write", "Glob", "Grep", "WebFetch"]);
  });
});

describe("SdkEventMapper", () => {
  it("maps a streamed text answer to a span with the request's usage around the agent's message", () => {
    const mapper = new SdkEventMapper(new Set());
    const drafts = [
      stream({
        type: "message_start",
        message: { usage: { input_tokens: 11, output_tokens: 1, cache_creation_input_tokens: null, cache_read_input_tokens: 3 } },
      }),
      stream({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }),
      stream({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hi" } }),
      assistant([{ type: "text", text: "Hi there" }]),
      stream({ type: "content_block_stop", index: 0 }),
      stream({ type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 4 } }),
      stream({ type: "message_stop" }),
    ].flatMap((message) => mapper.map(message));
    expect(drafts).toEqual([
      { event: { type: "span.model_request_start" }, key: "span:1" },
      { event: { type: "agent.message", content: [{ type: "text", text: "Hi there" }] } },
      {
        event: {
          type: "span.model_request_end",
          model_request_start_id: "",
          is_error: false,
          model_usage: { input_tokens: 11, output_tokens: 4, cache_creation_input_tokens: 0, cache_read_input_tokens: 3 },
        },
        ref: { field: "model_request_start_id", key: "span:1" },
      },
    ]);
    expect(mapper.agentSdkSessionId).toBe(SESSION.session_id);
  });

  it("maps thinking, a tool call (by the contract's tool name, ask or allow by policy) and its result pointing at the call", () => {
    const mapper = new SdkEventMapper(new Set(["Bash"]));
    const drafts = [
      assistant([{ type: "thinking", thinking: "hmm", signature: "x" }]),
      assistant([{ type: "tool_use", id: "toolu_01", name: "Bash", input: { command: "echo hi" } }]),
      assistant([{ type: "tool_use", id: "toolu_02", name: "Glob", input: { pattern: "*" } }]),
      sdk({ type: "user", message: { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_01", content: "hi\n" }] } }),
      sdk({
        type: "user",
        message: { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_02", content: [{ type: "text", text: "denied" }], is_error: true }] },
      }),
    ].flatMap((message) => mapper.map(message));
    expect(drafts).toEqual([
      { event: { type: "agent.thinking" } },
      { event: { type: "agent.tool_use", name: "bash", input: { command: "echo hi" }, evaluated_permission: "ask" }, key: "toolu_01" },
      { event: { type: "agent.tool_use", name: "glob", input: { pattern: "*" }, evaluated_permission: "allow" }, key: "toolu_02" },
      {
        event: { type: "agent.tool_result", tool_use_id: "", content: [{ type: "text", text: "hi\n" }], is_error: false },
        ref: { field: "tool_use_id", key: "toolu_01" },
      },
      {
        event: { type: "agent.tool_result", tool_use_id: "", content: [{ type: "text", text: "denied" }], is_error: true },
        ref: { field: "tool_use_id", key: "toolu_02" },
      },
    ]);
  });

  it("ignores subagent output, replayed user messages and empty text", () => {
    const mapper = new SdkEventMapper(new Set());
    expect(mapper.map(assistant([{ type: "text", text: "inside a subagent" }], { parent_tool_use_id: "toolu_09" }))).toEqual([]);
    expect(
      mapper.map(sdk({ type: "user", isReplay: true, message: { role: "user", content: [{ type: "tool_result", tool_use_id: "t", content: "x" }] } })),
    ).toEqual([]);
    expect(mapper.map(assistant([{ type: "text", text: "" }]))).toEqual([]);
  });

  it("takes Claude Code's error message as a failed request, not as the agent's words, and remembers the failure", () => {
    const mapper = new SdkEventMapper(new Set());
    const drafts = mapper.map(
      assistant([{ type: "text", text: "Failed to authenticate. API Error: 401 invalid x-api-key" }], { error: "authentication_failed" }),
    );
    expect(events(drafts)).toEqual([
      { type: "span.model_request_start" },
      { type: "span.model_request_end", model_request_start_id: "", is_error: true, model_usage: expect.any(Object) },
    ]);
    mapper.map(
      sdk({ type: "result", subtype: "success", is_error: true, api_error_status: 401, result: "Failed to authenticate. API Error: 401 invalid x-api-key" }),
    );
    expect(mapper.failure).toEqual({ status: 401, kind: "authentication_failed", text: "Failed to authenticate. API Error: 401 invalid x-api-key" });
  });

  it("ends a span left open (an interrupted stream) as an error", () => {
    const mapper = new SdkEventMapper(new Set());
    mapper.map(stream({ type: "message_start", message: { usage: { input_tokens: 5, output_tokens: 1 } } }));
    expect(events(mapper.closeOpenSpan(true))).toEqual([
      {
        type: "span.model_request_end",
        model_request_start_id: "",
        is_error: true,
        model_usage: { input_tokens: 5, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      },
    ]);
    expect(mapper.closeOpenSpan(true)).toEqual([]);
  });
});

describe("classifyModelFailure", () => {
  it("names a refused token with its fix", () => {
    const error = classifyModelFailure({ status: 401, kind: "authentication_failed", text: "Failed to authenticate. API Error: 401 invalid x-api-key" });
    expect(error.type).toBe("model_request_failed_error");
    expect(error.message).toBe(
      "The LLM endpoint refused the token: HTTP 401: Failed to authenticate. API Error: 401 invalid x-api-key. Fix: rotate the LLM credential's token in its vault, then send the message again.",
    );
    expect(classifyModelFailure({ status: 403, kind: null, text: "forbidden" }).message).toMatch(/^The LLM endpoint refused the token: HTTP 403/);
  });

  it.each([
    [{ status: 429, kind: "rate_limit", text: "API Error: Request rejected (429)" }, "model_rate_limited_error"],
    [{ status: 529, kind: "server_error", text: "API Error: 529 Overloaded" }, "model_overloaded_error"],
    [{ status: null, kind: "overloaded", text: "" }, "model_overloaded_error"],
    [{ status: 402, kind: null, text: "payment required" }, "billing_error"],
    [{ status: 400, kind: "billing_error", text: "credit balance is too low" }, "billing_error"],
    [{ status: 500, kind: "server_error", text: "API Error: 500 boom" }, "unknown_error"],
  ] as const)("classifies %j as %s", (failure, type) => {
    expect(classifyModelFailure(failure).type).toBe(type);
  });

  it("reads the status Claude Code quoted when it gave none", () => {
    expect(classifyModelFailure({ status: null, kind: null, text: "API Error: 401 nope" }).type).toBe("model_request_failed_error");
  });

  it("says an endpoint that has no /v1/messages, or answers like OpenAI, is not Anthropic-compatible", () => {
    for (const failure of [
      { status: 404, kind: "model_not_found" as const, text: "There's an issue with the selected model" },
      { status: 400, kind: null, text: 'API Error: 400 {"error":{"message":"Unrecognized request URL (POST /v1/chat/completions)"}}' },
    ]) {
      const error = classifyModelFailure(failure);
      expect(error.type).toBe("model_request_failed_error");
      expect(error.message).toMatch(/^The LLM endpoint is not Anthropic-compatible/);
    }
  });
});
