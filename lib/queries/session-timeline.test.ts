import { describe, expect, it } from "vitest";
import type { SessionEventObject } from "@/lib/serializers/session-events";
import { awaitingConfirmation, latestStatus, mergeEvents, timelineRows, usageOf } from "./session-timeline";

const AT = "2026-12-01T00:00:00.000Z";

function event(id: string, type: string, fields: Record<string, unknown> = {}, processedAt: string | null = AT): SessionEventObject {
  return { ...fields, id, type, processed_at: processedAt };
}

const text = (value: string) => [{ type: "text", text: value }];

describe("timelineRows", () => {
  it("nests a tool's result and confirmation under its call and keeps the events' order", () => {
    const rows = timelineRows([
      event("e1", "user.message", { content: text("list files") }),
      event("e2", "session.status_running"),
      event("e3", "agent.thinking"),
      event("e4", "agent.tool_use", { name: "bash", input: { command: "ls" }, evaluated_permission: "ask" }),
      event("e5", "session.status_idle", { stop_reason: { type: "requires_action", event_ids: ["e4"] } }),
      event("e6", "user.tool_confirmation", { tool_use_id: "e4", result: "deny", deny_message: "not now" }, null),
      event("e7", "agent.tool_result", { tool_use_id: "e4", content: text("denied"), is_error: true }),
      event("e8", "span.model_request_start"),
      event("e9", "span.model_request_end", {
        model_usage: { input_tokens: 10, output_tokens: 4, cache_read_input_tokens: 2, cache_creation_input_tokens: 0 },
      }),
      event("e10", "agent.message", { content: text("Done.") }),
    ]);
    expect(rows.map((row) => `${row.kind}:${row.id}`)).toEqual([
      "user_message:e1",
      "status:e2",
      "thinking:e3",
      "tool:e4",
      "status:e5",
      "usage:e9",
      "agent_message:e10",
    ]);
    const tool = rows.find((row) => row.kind === "tool");
    expect(tool).toMatchObject({
      name: "bash",
      permission: "ask",
      awaitingConfirmation: false,
      decision: { result: "deny", denyMessage: "not now" },
      result: { id: "e7", text: "denied", isError: true },
    });
    expect(rows[0]).toMatchObject({ text: "list files", queued: false });
  });

  it("shows a message no run has taken as queued, and an error with its message and retry status", () => {
    const rows = timelineRows([
      event("e1", "user.message", { content: text("hi") }, null),
      event("e2", "session.error", {
        error: { type: "model_request_failed_error", message: "Session has no LLM output: attach the LLM vault", retry_status: { type: "terminal" } },
      }),
    ]);
    expect(rows[0]).toMatchObject({ kind: "user_message", queued: true });
    expect(rows[1]).toEqual({
      kind: "error",
      id: "e2",
      errorType: "model_request_failed_error",
      message: "Session has no LLM output: attach the LLM vault",
      retryStatus: "terminal",
    });
  });

  it("shows a result whose call is on an earlier page on its own", () => {
    const rows = timelineRows([event("e7", "agent.tool_result", { tool_use_id: "e4", content: text("ok") })]);
    expect(rows).toEqual([
      {
        kind: "tool",
        id: "e7",
        name: null,
        input: null,
        permission: null,
        result: { id: "e7", text: "ok", isError: false },
        decision: null,
        awaitingConfirmation: false,
      },
    ]);
  });
});

describe("awaitingConfirmation", () => {
  const asking = [
    event("t1", "agent.tool_use", { name: "bash", input: {} }),
    event("t2", "agent.tool_use", { name: "read", input: {} }),
    event("s1", "session.status_idle", { stop_reason: { type: "requires_action", event_ids: ["t1", "t2"] } }),
  ];

  it("is the latest idle's requires_action ids not yet confirmed", () => {
    expect([...awaitingConfirmation(asking)]).toEqual(["t1", "t2"]);
    expect([...awaitingConfirmation([...asking, event("c1", "user.tool_confirmation", { tool_use_id: "t1", result: "allow" })])]).toEqual(["t2"]);
  });

  it("is empty once the session runs again or ended the turn", () => {
    expect(awaitingConfirmation([...asking, event("s2", "session.status_running")]).size).toBe(0);
    expect(awaitingConfirmation([...asking, event("s2", "session.status_idle", { stop_reason: { type: "end_turn" } })]).size).toBe(0);
  });
});

describe("latestStatus, usageOf, mergeEvents", () => {
  it("reads the latest status and sums the model requests' usage", () => {
    const events = [
      event("a", "session.status_running"),
      event("b", "span.model_request_end", { model_usage: { input_tokens: 3, output_tokens: 1, cache_read_input_tokens: 0, cache_creation_input_tokens: 5 } }),
      event("c", "span.model_request_end", { model_usage: { input_tokens: 4, output_tokens: 2, cache_read_input_tokens: 1, cache_creation_input_tokens: 0 } }),
      event("d", "session.status_idle", { stop_reason: { type: "end_turn" } }),
    ];
    expect(latestStatus(events)).toBe("idle");
    expect(latestStatus([])).toBeNull();
    expect(usageOf(events)).toEqual({ input_tokens: 7, output_tokens: 3, cache_read_input_tokens: 1, cache_creation_input_tokens: 5 });
  });

  it("adds each event once: newer after, earlier before, a repeated id keeps its place", () => {
    const merged = mergeEvents(
      [event("b", "agent.thinking"), event("c", "user.message", {}, null)],
      [event("c", "user.message"), event("d", "agent.thinking")],
      "after",
    );
    expect(merged.map((item) => item.id)).toEqual(["b", "c", "d"]);
    expect(merged[1]?.processed_at).toBe(AT);
    expect(mergeEvents(merged, [event("a", "agent.thinking"), event("b", "agent.thinking")], "before").map((item) => item.id)).toEqual(["a", "b", "c", "d"]);
  });
});
