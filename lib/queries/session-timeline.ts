// What the session page draws from a session's events: one row per thing a person reads (a
// message, a tool call with its result and its confirmation nested, an error, a status change),
// in the events' order. Pure, so the page, its live stream and its tests read events one way.
import type { SessionEventObject } from "@/lib/serializers/session-events";

export type SessionRunStatus = "running" | "idle" | "terminated" | "rescheduled";

export interface ToolResultView {
  id: string;
  text: string;
  isError: boolean;
}

export interface ToolDecision {
  result: "allow" | "deny";
  denyMessage: string | null;
}

export interface UsageFigures {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
}

export type TimelineRow =
  | { kind: "user_message"; id: string; text: string; queued: boolean }
  | { kind: "agent_message"; id: string; text: string }
  | { kind: "thinking"; id: string }
  | {
      kind: "tool";
      id: string;
      /** null when only the result is loaded (its call is on an earlier page). */
      name: string | null;
      input: unknown;
      permission: string | null;
      result: ToolResultView | null;
      decision: ToolDecision | null;
      awaitingConfirmation: boolean;
    }
  | { kind: "error"; id: string; errorType: string; message: string; retryStatus: string | null }
  | { kind: "status"; id: string; status: SessionRunStatus; stopReason: string | null }
  | { kind: "usage"; id: string; usage: UsageFigures; isError: boolean }
  | { kind: "interrupt"; id: string }
  | { kind: "other"; id: string; type: string };

type Fields = Record<string, unknown>;

function record(value: unknown): Fields {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Fields) : {};
}

function text(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/** Content blocks as text; a block that is not text is named, never dropped silently. */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((block) => {
      const fields = record(block);
      if (fields.type === "text") return text(fields.text) ?? "";
      return `[${text(fields.type) ?? "content"}]`;
    })
    .filter((part) => part !== "")
    .join("\n\n");
}

const STATUS_OF: Readonly<Record<string, SessionRunStatus>> = {
  "session.status_running": "running",
  "session.status_idle": "idle",
  "session.status_terminated": "terminated",
  "session.status_rescheduled": "rescheduled",
};

const TOOL_USE_TYPES = new Set(["agent.tool_use", "agent.mcp_tool_use", "agent.custom_tool_use"]);
/** Each result type and the field naming the call it answers. */
const RESULT_LINK: Readonly<Record<string, string>> = {
  "agent.tool_result": "tool_use_id",
  "agent.mcp_tool_result": "mcp_tool_use_id",
  "user.custom_tool_result": "custom_tool_use_id",
};
/** Events that carry nothing a reader needs as a row of their own. */
const SILENT_TYPES = new Set(["span.model_request_start"]);

/** The session's status as its latest status event says, or null when no loaded event says. */
export function latestStatus(events: readonly SessionEventObject[]): SessionRunStatus | null {
  for (let index = events.length - 1; index >= 0; index -= 1) {
    const status = STATUS_OF[events[index]?.type ?? ""];
    if (status) return status;
  }
  return null;
}

/**
 * The tool calls the agent waits on: the latest status event is an idle whose stop reason is
 * `requires_action`, and no `user.tool_confirmation` for the call has been sent since.
 */
export function awaitingConfirmation(events: readonly SessionEventObject[]): Set<string> {
  let lastStatusIndex = -1;
  for (let index = events.length - 1; index >= 0; index -= 1) {
    if (STATUS_OF[events[index]?.type ?? ""]) {
      lastStatusIndex = index;
      break;
    }
  }
  const last = events[lastStatusIndex];
  if (!last || last.type !== "session.status_idle") return new Set();
  const stopReason = record(record(last).stop_reason);
  if (stopReason.type !== "requires_action" || !Array.isArray(stopReason.event_ids)) return new Set();
  const waiting = new Set(stopReason.event_ids.filter((id): id is string => typeof id === "string"));
  for (const event of events.slice(lastStatusIndex + 1)) {
    const fields = record(event);
    if (event.type === "user.tool_confirmation" && typeof fields.tool_use_id === "string") waiting.delete(fields.tool_use_id);
  }
  return waiting;
}

/** The summed usage of the model requests among these events. */
export function usageOf(events: readonly SessionEventObject[]): UsageFigures {
  const total: UsageFigures = { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
  for (const event of events) {
    if (event.type !== "span.model_request_end") continue;
    const usage = record(record(event).model_usage);
    total.input_tokens += count(usage.input_tokens);
    total.output_tokens += count(usage.output_tokens);
    total.cache_read_input_tokens += count(usage.cache_read_input_tokens);
    total.cache_creation_input_tokens += count(usage.cache_creation_input_tokens);
  }
  return total;
}

/**
 * Adds events to a list once each, by id: `after` for newer ones (the stream, a send's answer),
 * `before` for an earlier page. An event already present keeps its place and takes the newer copy.
 */
export function mergeEvents(current: readonly SessionEventObject[], incoming: readonly SessionEventObject[], where: "after" | "before"): SessionEventObject[] {
  const fresh = new Map<string, SessionEventObject>();
  for (const event of incoming) fresh.set(event.id, event);
  const kept = current.map((event) => {
    const newer = fresh.get(event.id);
    if (!newer) return event;
    fresh.delete(event.id);
    return newer;
  });
  const added = [...fresh.values()];
  return where === "after" ? [...kept, ...added] : [...added, ...kept];
}

/** The rows the page draws, in the events' order; results and confirmations join their call's row. */
export function timelineRows(events: readonly SessionEventObject[]): TimelineRow[] {
  const rows: TimelineRow[] = [];
  const toolRows = new Map<string, Extract<TimelineRow, { kind: "tool" }>>();
  const waiting = awaitingConfirmation(events);
  const runningSince = (index: number) => events.slice(index + 1).some((later) => later.type === "session.status_running");

  events.forEach((event, index) => {
    const fields = record(event);
    const status = STATUS_OF[event.type];
    if (status) {
      rows.push({ kind: "status", id: event.id, status, stopReason: text(record(fields.stop_reason).type) });
      return;
    }
    if (TOOL_USE_TYPES.has(event.type)) {
      const row = {
        kind: "tool" as const,
        id: event.id,
        name: text(fields.name),
        input: fields.input ?? null,
        permission: text(fields.evaluated_permission),
        result: null,
        decision: null,
        awaitingConfirmation: waiting.has(event.id),
      };
      toolRows.set(event.id, row);
      rows.push(row);
      return;
    }
    const linkField = RESULT_LINK[event.type];
    if (linkField) {
      const callId = text(fields[linkField]) ?? "";
      const result = { id: event.id, text: contentText(fields.content), isError: fields.is_error === true };
      const call = toolRows.get(callId);
      if (call) call.result = result;
      else rows.push({ kind: "tool", id: event.id, name: null, input: null, permission: null, result, decision: null, awaitingConfirmation: false });
      return;
    }
    switch (event.type) {
      case "user.message":
        // Queued until a run takes it: processed_at is set then, and a running status follows.
        rows.push({ kind: "user_message", id: event.id, text: contentText(fields.content), queued: event.processed_at === null && !runningSince(index) });
        return;
      case "agent.message":
        rows.push({ kind: "agent_message", id: event.id, text: contentText(fields.content) });
        return;
      case "agent.thinking":
        rows.push({ kind: "thinking", id: event.id });
        return;
      case "user.interrupt":
        rows.push({ kind: "interrupt", id: event.id });
        return;
      case "user.tool_confirmation": {
        const call = toolRows.get(text(fields.tool_use_id) ?? "");
        const result = fields.result === "allow" ? "allow" : "deny";
        if (call) call.decision = { result, denyMessage: text(fields.deny_message) };
        else rows.push({ kind: "other", id: event.id, type: event.type });
        return;
      }
      case "session.error": {
        const error = record(fields.error);
        rows.push({
          kind: "error",
          id: event.id,
          errorType: text(error.type) ?? "unknown_error",
          message: text(error.message) ?? "The session stopped with an error.",
          retryStatus: text(record(error.retry_status).type),
        });
        return;
      }
      case "span.model_request_end":
        rows.push({ kind: "usage", id: event.id, usage: usageOf([event]), isError: fields.is_error === true });
        return;
      default:
        if (!SILENT_TYPES.has(event.type)) rows.push({ kind: "other", id: event.id, type: event.type });
    }
  });
  return rows;
}
