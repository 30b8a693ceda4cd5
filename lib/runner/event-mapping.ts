// What the Agent SDK reports, as the session events a runner posts (SPEC §7a). Pure: no I/O, so
// the mapping is tested on recorded messages. The console assigns every event's id when it stores
// it, and two events point at earlier ones (a tool_result at its tool_use, a span's end at its
// start): the mapper names those by a key (the model's toolu_… id, a span number) and the poster
// fills in the stored id before it sends them (lib/runner/event-poster.ts).
import type { SDKAssistantMessageError, SDKMessage } from "@anthropic-ai/claude-agent-sdk";

import type { AgentToolName, ModelUsage, RuntimeEvent, SessionErrorObject, ToolPolicy } from "./protocol";

/** Claude Code's name of each contract tool (agent_toolset_20260401). */
export const SDK_TOOL_NAMES: Record<AgentToolName, string> = {
  bash: "Bash",
  edit: "Edit",
  read: "Read",
  write: "Write",
  glob: "Glob",
  grep: "Grep",
  web_fetch: "WebFetch",
  web_search: "WebSearch",
};

const AGENT_TOOL_BY_SDK_NAME = new Map(Object.entries(SDK_TOOL_NAMES).map(([agentName, sdkName]) => [sdkName, agentName as AgentToolName]));

/** The contract's name of a tool Claude Code names, or null for a tool outside the toolset. */
export function agentToolName(sdkName: string): AgentToolName | null {
  return AGENT_TOOL_BY_SDK_NAME.get(sdkName) ?? null;
}

/** The Agent SDK tool options a policy makes: which tools exist, which run unasked, which must ask. */
export function sdkToolOptions(policy: ToolPolicy): { tools: string[]; allowedTools: string[]; askTools: Set<string> } {
  const tools: string[] = [];
  const allowedTools: string[] = [];
  const askTools = new Set<string>();
  for (const [agentName, sdkName] of Object.entries(SDK_TOOL_NAMES) as Array<[AgentToolName, string]>) {
    const config = policy[agentName];
    if (!config?.enabled) continue;
    tools.push(sdkName);
    if (config.permission === "always_allow") allowedTools.push(sdkName);
    else askTools.add(sdkName);
  }
  return { tools, allowedTools, askTools };
}

/** An event to post, with the references the poster resolves to stored ids. */
export interface DraftEvent {
  /** The event; a field named by `ref` holds "" until the poster fills it. */
  event: RuntimeEvent;
  /** Remember this event's stored id under this key (a tool_use's toolu_ id, a span key). */
  key?: string;
  /** Before posting, set `field` to the stored id remembered under `key`. */
  ref?: { field: "tool_use_id" | "model_request_start_id"; key: string };
}

/** What went wrong with a model request, as far as Claude Code tells. */
export interface ModelFailure {
  /** The HTTP status the endpoint answered, when there was one. */
  status: number | null;
  /** Claude Code's classification of the failure. */
  kind: SDKAssistantMessageError | null;
  /** Claude Code's text for it (the endpoint's error message, which the boundary has masked). */
  text: string;
}

const ZERO_USAGE: ModelUsage = { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };

/** Tokens counted so far in a usage object of the streaming API (fields may be null or absent). */
function mergedUsage(into: ModelUsage, usage: unknown): ModelUsage {
  if (!usage || typeof usage !== "object") return into;
  const record = usage as Record<string, unknown>;
  const read = (name: keyof ModelUsage) => {
    const value = record[name];
    return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : into[name];
  };
  return {
    input_tokens: read("input_tokens"),
    output_tokens: read("output_tokens"),
    cache_creation_input_tokens: read("cache_creation_input_tokens"),
    cache_read_input_tokens: read("cache_read_input_tokens"),
  };
}

/** A tool result's content as the text blocks an agent.tool_result carries. */
function toolResultText(content: unknown): Array<{ type: "text"; text: string }> {
  if (typeof content === "string") return content === "" ? [] : [{ type: "text", text: content }];
  if (!Array.isArray(content)) return [];
  return content.flatMap((block: unknown) => {
    if (!block || typeof block !== "object") return [];
    const { type, text } = block as { type?: unknown; text?: unknown };
    if (type === "text" && typeof text === "string") return [{ type: "text" as const, text }];
    // Images and documents a tool returned are not text; say that one was there.
    return typeof type === "string" ? [{ type: "text" as const, text: `[${type}]` }] : [];
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Maps one runner's stream of SDK messages to draft events. Stateful across messages: the open
 * model request span and its usage, the tool policy deciding each tool_use's evaluated permission,
 * and the last model failure seen (for the finish).
 */
export class SdkEventMapper {
  private spanCount = 0;
  private openSpan: { key: string; usage: ModelUsage } | null = null;
  /** The last model request failure of this run, or null. */
  failure: ModelFailure | null = null;
  /** The Agent SDK session id (for resume), once a message has told it. */
  agentSdkSessionId: string | null = null;

  constructor(private readonly askTools: ReadonlySet<string>) {}

  map(message: SDKMessage): DraftEvent[] {
    if ("session_id" in message && typeof message.session_id === "string" && message.session_id) this.agentSdkSessionId = message.session_id;
    switch (message.type) {
      case "stream_event":
        return message.parent_tool_use_id === null ? this.mapStreamEvent(message.event) : [];
      case "assistant":
        return message.parent_tool_use_id === null ? this.mapAssistant(message.message.content, message.error) : [];
      case "user":
        return "isReplay" in message && message.isReplay ? [] : this.mapToolResults(message.message.content);
      case "system":
        if (message.subtype === "api_retry")
          this.failure = { status: message.error_status, kind: message.error, text: `API error ${message.error_status ?? ""}`.trim() };
        return [];
      case "result":
        if (message.is_error) {
          const text = message.subtype === "success" ? message.result : message.errors.join("; ");
          this.failure = {
            status: ("api_error_status" in message ? message.api_error_status : null) ?? this.failure?.status ?? null,
            kind: this.failure?.kind ?? null,
            text: text || (this.failure?.text ?? ""),
          };
        }
        return this.closeOpenSpan(message.is_error);
      default:
        return [];
    }
  }

  /** The end of a span still open (an interrupted or failed request), or nothing. */
  closeOpenSpan(isError: boolean): DraftEvent[] {
    if (!this.openSpan) return [];
    const { key, usage } = this.openSpan;
    this.openSpan = null;
    return [
      {
        event: { type: "span.model_request_end", model_request_start_id: "", is_error: isError, model_usage: usage },
        ref: { field: "model_request_start_id", key },
      },
    ];
  }

  private startSpan(usage: unknown): DraftEvent[] {
    const closed = this.closeOpenSpan(true);
    const key = `span:${++this.spanCount}`;
    this.openSpan = { key, usage: mergedUsage(ZERO_USAGE, usage) };
    return [...closed, { event: { type: "span.model_request_start" }, key }];
  }

  private mapStreamEvent(event: Extract<SDKMessage, { type: "stream_event" }>["event"]): DraftEvent[] {
    switch (event.type) {
      case "message_start":
        return this.startSpan(event.message.usage);
      case "message_delta":
        if (this.openSpan) this.openSpan.usage = mergedUsage(this.openSpan.usage, event.usage);
        return [];
      case "message_stop":
        return this.closeOpenSpan(false);
      default:
        return [];
    }
  }

  private mapAssistant(content: unknown, error: SDKAssistantMessageError | undefined): DraftEvent[] {
    const blocks: unknown[] = Array.isArray(content) ? content : [];
    if (error) {
      // A synthetic message: Claude Code's words about a failed request, not the model's. The
      // request was made, so it shows as a failed span; the failure itself ends the run.
      const text = blocks.map((block) => (isRecord(block) && typeof block.text === "string" ? block.text : "")).join(" ");
      this.failure = { status: this.failure?.status ?? statusIn(text), kind: error, text };
      return this.openSpan ? this.closeOpenSpan(true) : [...this.startSpan(null), ...this.closeOpenSpan(true)];
    }
    return blocks.flatMap((block): DraftEvent[] => {
      if (!isRecord(block)) return [];
      if (block.type === "text" && typeof block.text === "string" && block.text !== "") {
        return [{ event: { type: "agent.message", content: [{ type: "text", text: block.text }] } }];
      }
      if (block.type === "thinking" || block.type === "redacted_thinking") return [{ event: { type: "agent.thinking" } }];
      if (block.type === "tool_use" && typeof block.id === "string" && typeof block.name === "string") {
        return [
          {
            event: {
              type: "agent.tool_use",
              name: agentToolName(block.name) ?? block.name,
              input: isRecord(block.input) ? block.input : {},
              evaluated_permission: this.askTools.has(block.name) ? "ask" : "allow",
            },
            key: block.id,
          },
        ];
      }
      return [];
    });
  }

  private mapToolResults(content: unknown): DraftEvent[] {
    if (!Array.isArray(content)) return [];
    return content.flatMap((block: unknown): DraftEvent[] => {
      if (!isRecord(block) || block.type !== "tool_result" || typeof block.tool_use_id !== "string") return [];
      return [
        {
          event: { type: "agent.tool_result", tool_use_id: "", content: toolResultText(block.content), is_error: block.is_error === true },
          ref: { field: "tool_use_id", key: block.tool_use_id },
        },
      ];
    });
  }
}

/** An HTTP status Claude Code quoted ("API Error: 401 …", "(429)"), or null. */
function statusIn(text: string): number | null {
  const match = text.match(/\b(?:API Error:?\s*|\()([45]\d\d)\b/);
  return match ? Number(match[1]) : null;
}

const TOKEN_FIX = "rotate the LLM credential's token in its vault, then send the message again";
const DETAIL_MAX = 300;

/** The session.error a failed model request ends the run with: its contract type, the cause and its fix. */
export function classifyModelFailure(failure: ModelFailure): SessionErrorObject {
  const status = failure.status ?? statusIn(failure.text);
  const detail = failure.text.trim().slice(0, DETAIL_MAX) || "no detail";
  const answered = status === null ? "" : `HTTP ${status}: `;
  if (status === 401 || status === 403 || failure.kind === "authentication_failed") {
    return {
      type: "model_request_failed_error",
      message: `The LLM endpoint refused the token: ${answered}${detail}. Fix: ${TOKEN_FIX}.`,
      retry_status: { type: "terminal" },
    };
  }
  if (status === 402 || failure.kind === "billing_error") {
    return {
      type: "billing_error",
      message: `The LLM endpoint refused the request for billing: ${answered}${detail}. Fix: check the plan and credit of the account behind the LLM credential, then send the message again.`,
      retry_status: { type: "terminal" },
    };
  }
  if (status === 429 || failure.kind === "rate_limit") {
    return {
      type: "model_rate_limited_error",
      message: `The LLM endpoint rate-limited the request: ${answered}${detail}. Send the message again later.`,
      retry_status: { type: "exhausted" },
    };
  }
  if (status === 529 || failure.kind === "overloaded" || /overloaded/i.test(failure.text)) {
    return {
      type: "model_overloaded_error",
      message: `The LLM endpoint is overloaded: ${answered}${detail}. Send the message again later.`,
      retry_status: { type: "exhausted" },
    };
  }
  if (status === 404 || looksOpenAiShaped(failure.text)) {
    return {
      type: "model_request_failed_error",
      message:
        `The LLM endpoint is not Anthropic-compatible: it answered ${answered}${detail} to POST /v1/messages. ` +
        "Fix: set the LLM vault's base URL to an Anthropic-compatible endpoint (one that serves /v1/messages, for example https://api.anthropic.com) and check the agent's model.",
      retry_status: { type: "terminal" },
    };
  }
  return { type: "unknown_error", message: `The model request failed: ${answered}${detail}`, retry_status: { type: "terminal" } };
}

/** Words of an OpenAI-compatible API's answer that an Anthropic one never uses. */
function looksOpenAiShaped(text: string): boolean {
  return /chat\/completions|"object"\s*:\s*"(?:list|error)"|invalid_api_key|openai/i.test(text);
}
