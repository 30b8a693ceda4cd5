// The runner protocol: what a worker and the runner it starts say to the console, over HTTP only
// (SPEC §7a). One module for both ends, so the routes (app/v1/runs/…) parse exactly what the runner
// (lib/runner/…) sends. Nothing here imports Next, a service or the database.
import { z } from "zod";
import { AGENT_TOOL_NAMES, type AgentToolName } from "@/lib/validation/agent-toolset";

/** The longest an inbox long-poll waits for a user event; the runner polls again right after. */
export const INBOX_WAIT_MAX_MS = 20_000;
/**
 * How long a run is kept without word from its runner before the console sweeps it, by default
 * (CONSOLE_RUN_LEASE_SECONDS), and at least: a runner waiting in the inbox's long poll is heard
 * from only when the poll ends, so the lease outlasts the longest poll with room to spare.
 */
export const RUN_LEASE_DEFAULT_SECONDS = 60;
export const RUN_LEASE_MIN_SECONDS = INBOX_WAIT_MAX_MS / 1000 + 10;
/**
 * How long a runner that answered every message waits, still up, for the session's next one, by
 * default (CONSOLE_RUNNER_REST_SECONDS): a conversation's next turn then starts on the running CLI.
 */
export const RUNNER_REST_DEFAULT_SECONDS = 60;
/** A run is tried this often in all: its first attempt and one retry after a runner dies. */
export const RUN_ATTEMPTS_MAX = 2;

/** What a queue carries for one run: never a key, only a one-time claim token (stored hashed). */
export const runJobSchema = z.strictObject({
  run_id: z.string().min(1),
  session_id: z.string().min(1),
  claim_token: z.string().min(32),
});
export type RunJob = z.infer<typeof runJobSchema>;

/** `POST /v1/runs/{run_id}/claim` — authenticated by the claim token alone (the job's). */
export const claimRequestSchema = z.strictObject({
  claim_token: z.string().min(1, "is required"),
  /** Who claims, for the operator: host and pid. */
  worker_id: z.string().min(1).max(200),
});

// The tool names live in lib/validation/agent-toolset.ts (zod-free, for the agent form in the browser).
export { AGENT_TOOL_NAMES, type AgentToolName };

/**
 * Which built-in tools a session's agent may use and whether each runs at once (`always_allow`) or
 * waits for a user.tool_confirmation (`always_ask`, the default, SPEC §7a). Resolved by the console
 * from the agent's `tools` (default_config, then per-tool configs), so the runner only reads it.
 */
export const toolPolicySchema = z.record(
  z.enum(AGENT_TOOL_NAMES),
  z.strictObject({ enabled: z.boolean(), permission: z.enum(["always_allow", "always_ask"]) }),
);
export type ToolPolicy = z.infer<typeof toolPolicySchema>;

/** The runtime settings as `POST /v1/sessions/{id}/runtime` answers them, the fields a runner reads. */
export const runtimeSettingsAnswerSchema = z.looseObject({
  type: z.literal("session_runtime"),
  mode: z.enum(["boundary", "egress"]),
  ca_bundle: z.string().nullable(),
  env: z.record(z.string(), z.string()),
});

/**
 * The claim's answer: a runtime key scoped to this one session, minted for this attempt and revoked
 * when it ends. The runner uses it for the run routes below and, when the claim could not include
 * them, to fetch its runtime settings (POST /v1/sessions/{id}/runtime); it reaches nothing else.
 */
export const claimResponseSchema = z.strictObject({
  type: z.literal("run_claim"),
  run_id: z.string(),
  session_id: z.string(),
  attempt: z.number().int().min(1),
  api_key: z.string(),
  /** The Agent SDK session to resume (the context of earlier turns), or null for the first turn. */
  resume: z.string().nullable(),
  /** The console's egress proxy port (same host as the console), or null when it runs none: use boundary mode then. */
  egress_port: z.number().int().nullable(),
  /** The agent this session snapshot: the runner's model, system prompt and tool permission policy. */
  agent: z.strictObject({
    model: z.string(),
    system: z.string().nullable(),
    tools: toolPolicySchema,
  }),
  /**
   * The run's user events as its first inbox look would answer them (taken by the claim), so the
   * runner starts its turn without asking; absent: it asks.
   */
  inbox: z.array(z.looseObject({ id: z.string(), type: z.string() })).optional(),
  /** How long the runner may rest after answering every message (POST /v1/runs/{run_id}/rest); 0: it finishes instead. */
  rest_seconds: z.number().int().min(0),
  /**
   * The session's runtime settings, issued with the claim's key for the claim's egress port (egress
   * mode, or boundary when null) as `POST /v1/sessions/{id}/runtime` would issue them, their CA
   * path `ca_path` (the runner writes the bundle where it likes and puts its own path for it);
   * absent or null: the runner fetches them itself.
   */
  runtime: z
    .strictObject({ settings: runtimeSettingsAnswerSchema, ca_path: z.string().min(1) })
    .nullable()
    .optional(),
});
export type RunClaim = z.infer<typeof claimResponseSchema>;

// ── Events a runner emits (POST /v1/runs/{run_id}/events) ─────────────────────────────────────
// The contract's shapes minus `id` and `processed_at`, which the console assigns. The console
// itself emits session.status_running when a run starts and session.status_idle (end_turn), or
// session.error, when it finishes; a runner emits status events only around a confirmation.

const textBlock = z.strictObject({ type: z.literal("text"), text: z.string() });
const toolResultBlock = textBlock; // the runner reports tool output as text blocks
const anyInput = z.record(z.string(), z.unknown());

export const retryStatusSchema = z.strictObject({ type: z.enum(["retrying", "exhausted", "terminal"]) });

/** The session.error objects this console emits (a subset of the contract's typed errors). */
export const sessionErrorObjectSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("unknown_error"), message: z.string(), retry_status: retryStatusSchema }),
  z.strictObject({ type: z.literal("model_overloaded_error"), message: z.string(), retry_status: retryStatusSchema }),
  z.strictObject({ type: z.literal("model_rate_limited_error"), message: z.string(), retry_status: retryStatusSchema }),
  z.strictObject({ type: z.literal("model_request_failed_error"), message: z.string(), retry_status: retryStatusSchema }),
  z.strictObject({ type: z.literal("billing_error"), message: z.string(), retry_status: retryStatusSchema }),
  z.strictObject({ type: z.literal("mcp_connection_failed_error"), mcp_server_name: z.string(), message: z.string(), retry_status: retryStatusSchema }),
  z.strictObject({ type: z.literal("mcp_authentication_failed_error"), mcp_server_name: z.string(), message: z.string(), retry_status: retryStatusSchema }),
]);
export type SessionErrorObject = z.infer<typeof sessionErrorObjectSchema>;

export const modelUsageSchema = z.strictObject({
  input_tokens: z.number().int().min(0),
  output_tokens: z.number().int().min(0),
  cache_creation_input_tokens: z.number().int().min(0),
  cache_read_input_tokens: z.number().int().min(0),
});
export type ModelUsage = z.infer<typeof modelUsageSchema>;

export const runtimeEventSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("agent.message"), content: z.array(textBlock).min(1) }),
  z.strictObject({ type: z.literal("agent.thinking") }),
  z.strictObject({
    type: z.literal("agent.tool_use"),
    name: z.string().min(1),
    input: anyInput,
    /** "ask" when the runner waits for a user.tool_confirmation naming this event's id. */
    evaluated_permission: z.enum(["allow", "ask", "deny"]),
  }),
  z.strictObject({
    type: z.literal("agent.tool_result"),
    /** The id (sevt_…) of the agent.tool_use event this answers, as the console returned it. */
    tool_use_id: z.string().min(1),
    content: z.array(toolResultBlock),
    is_error: z.boolean(),
  }),
  z.strictObject({ type: z.literal("agent.custom_tool_use"), name: z.string().min(1), input: anyInput }),
  z.strictObject({ type: z.literal("span.model_request_start") }),
  z.strictObject({
    type: z.literal("span.model_request_end"),
    model_request_start_id: z.string().min(1),
    is_error: z.boolean(),
    model_usage: modelUsageSchema,
  }),
  z.strictObject({
    type: z.literal("session.status_idle"),
    stop_reason: z.strictObject({ type: z.literal("requires_action"), event_ids: z.array(z.string().min(1)).min(1) }),
  }),
  z.strictObject({ type: z.literal("session.status_running") }),
]);
export type RuntimeEvent = z.infer<typeof runtimeEventSchema>;

export const postRuntimeEventsSchema = z.strictObject({ events: z.array(runtimeEventSchema).min(1).max(100) });

/** The stored events, in order, as the API returns them (so the runner learns each id). */
export const postRuntimeEventsResponseSchema = z.strictObject({
  data: z.array(z.looseObject({ id: z.string(), type: z.string() })),
});

// ── The inbox (GET /v1/runs/{run_id}/inbox?after=<event id>&wait_ms=<n>) ─────────────────────
// The user events a run is to act on, in order: the first call of an attempt returns every user
// event the run took earlier (a retry replays its turn) plus the queued ones, which it takes; later
// calls pass the last id seen. Each call extends the run's lease, so a polling runner stays alive.

export const inboxQuerySchema = z.strictObject({
  after: z.string().min(1).optional(),
  wait_ms: z.coerce.number().int().min(0).max(INBOX_WAIT_MAX_MS).optional(),
});

export const inboxResponseSchema = z.strictObject({
  data: z.array(z.looseObject({ id: z.string(), type: z.string() })),
  /** False once the run has ended on the console's side (swept, cancelled while queued, or a resting run ended for a waiting one): stop. */
  run_open: z.boolean(),
});

/** A user event from the inbox, the fields a runner acts on. */
export const inboxEventSchema = z.discriminatedUnion("type", [
  z.looseObject({ id: z.string(), type: z.literal("user.message"), content: z.array(z.looseObject({ type: z.string() })) }),
  z.looseObject({ id: z.string(), type: z.literal("user.interrupt") }),
  z.looseObject({
    id: z.string(),
    type: z.literal("user.tool_confirmation"),
    tool_use_id: z.string(),
    result: z.enum(["allow", "deny"]),
    deny_message: z.string().nullish(),
  }),
  z.looseObject({ id: z.string(), type: z.literal("user.custom_tool_result") }),
]);

// ── The end of a run (POST /v1/runs/{run_id}/finish) ──────────────────────────────────────────

export const finishRequestSchema = z.discriminatedUnion("outcome", [
  /** Every taken message was answered. */
  z.strictObject({ outcome: z.literal("end_turn"), agent_sdk_session_id: z.string().min(1).nullable() }),
  /** A user.interrupt stopped the turn. */
  z.strictObject({ outcome: z.literal("interrupted"), agent_sdk_session_id: z.string().min(1).nullable() }),
  /** The turn failed in a way a retry would not fix (the model refused the token, …): one session.error. */
  z.strictObject({ outcome: z.literal("error"), error: sessionErrorObjectSchema, agent_sdk_session_id: z.string().min(1).nullable() }),
  /** Sent by the worker when its runner died without finishing: retried once, then a session.error. */
  z.strictObject({ outcome: z.literal("runner_died"), detail: z.string().max(2000) }),
]);
export type FinishRequest = z.infer<typeof finishRequestSchema>;

// ── Resting (POST /v1/runs/{run_id}/rest) ─────────────────────────────────────────────────────
// Instead of finishing, a runner that answered every message may rest: the console ends the turn
// (session.status_idle, end_turn) but keeps the run open, and the runner keeps long-polling the
// inbox with its CLI still up. A user.message then wakes it (the console records
// session.status_running as it takes the message); when the rest is over it finishes as usual.

export const restRequestSchema = z.strictObject({ agent_sdk_session_id: z.string().min(1).nullable() });
export type RestRequest = z.infer<typeof restRequestSchema>;

export const restResponseSchema = z.strictObject({
  type: z.literal("run_rest"),
  run_id: z.string(),
  /**
   * False when messages arrived since the runner's last inbox look: nothing was recorded, and the
   * runner takes them from the inbox and goes on.
   */
  resting: z.boolean(),
  /** How long it may rest before finishing (the console's CONSOLE_RUNNER_REST_SECONDS, within its key's lifetime). */
  rest_seconds: z.number().int().min(0),
});
export type RestResponse = z.infer<typeof restResponseSchema>;

/**
 * A runner's whole environment: this, the system PATH and a HOME of no session's. It is started
 * before any run is known (a warm pool, lib/runner/warm-pool.ts), so it holds no key, no session
 * and no claim: those arrive over its stdin as one `RunnerStart`, and its stdin then closes.
 */
export const RUNNER_ENV = {
  consoleUrl: "CONSOLE_URL",
} as const;

/** What the worker writes to a started runner's stdin once it has claimed a run: the one run it is for. */
export const runnerStartSchema = z.strictObject({
  /** The claim as the console answered it, its runtime key included (the key is never in an environment or argv). */
  claim: claimResponseSchema,
  /** "egress" or "boundary": which runtime settings the runner asks for (its namespace forwards the egress port or not). */
  mode: z.enum(["boundary", "egress"]),
  /** The session's directory: the Claude Code CLI's HOME, with `work/` as its working directory. */
  home: z.string().min(1),
  /** When the console records steps (lib/runner/steps.ts): the worker's so far; absent otherwise. */
  steps: z.record(z.string().max(40), z.number()).optional(),
});
export type RunnerStart = z.infer<typeof runnerStartSchema>;
