// The runner's only line to the console: the run routes and the session's runtime settings, over
// HTTP with the run's own runtime key (SPEC §7a). Every answer is parsed with the protocol's
// schemas; an error answer is reported by status and the envelope's message, never with the key.
import { z } from "zod";

import { BETA_HEADER, BETA_VERSION } from "@/lib/http/headers";

import {
  finishRequestSchema,
  inboxResponseSchema,
  postRuntimeEventsResponseSchema,
  restRequestSchema,
  restResponseSchema,
  runtimeSettingsAnswerSchema,
  type FinishRequest,
  type RestRequest,
  type RestResponse,
  type RuntimeEvent,
} from "./protocol";

/** The longest a console request may take, beyond an inbox call's own wait. */
const REQUEST_TIMEOUT_MS = 30_000;

/** What `POST /v1/sessions/{id}/runtime` answers, the fields a runner reads. */
export const runtimeSettingsSchema = runtimeSettingsAnswerSchema;
export type RuntimeSettingsAnswer = z.infer<typeof runtimeSettingsSchema>;

export type InboxAnswer = z.infer<typeof inboxResponseSchema>;

/** A refusal or failure answered by the console, with the status a caller decides on. */
export class ConsoleRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ConsoleClientOptions {
  consoleUrl: string;
  apiKey: string;
  sessionId: string;
  runId: string;
}

export class ConsoleClient {
  constructor(private readonly options: ConsoleClientOptions) {}

  private async request<Schema extends z.ZodType>(
    method: string,
    path: string,
    schema: Schema,
    body?: unknown,
    signal?: AbortSignal,
    timeoutMs = REQUEST_TIMEOUT_MS,
  ): Promise<z.infer<Schema>> {
    // A console that never answers must not hold the runner forever: it fails, exits, and the
    // worker reports it (runner_died → one retry), as a dead runner would be.
    const deadline = AbortSignal.timeout(timeoutMs);
    const response = await fetch(new URL(path, this.options.consoleUrl), {
      method,
      headers: {
        "x-api-key": this.options.apiKey,
        [BETA_HEADER]: BETA_VERSION,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
    });
    const text = await response.text();
    if (!response.ok) {
      let message = text.slice(0, 500);
      try {
        const envelope = JSON.parse(text) as { error?: { message?: unknown } };
        if (typeof envelope.error?.message === "string") message = envelope.error.message;
      } catch {
        // not the error envelope: keep the start of the body
      }
      throw new ConsoleRequestError(response.status, `${method} ${path}: HTTP ${response.status}: ${message}`);
    }
    return schema.parse(text === "" ? {} : JSON.parse(text));
  }

  /** The session's runtime settings: boundary mode, or egress mode with the CA written to `caPath`. */
  runtimeSettings(mode: "boundary" | "egress", caPath: string): Promise<RuntimeSettingsAnswer> {
    const body = mode === "egress" ? { mode, ca_path: caPath } : {};
    return this.request("POST", `/v1/sessions/${this.options.sessionId}/runtime`, runtimeSettingsSchema, body);
  }

  inbox(after: string | undefined, waitMs: number, signal?: AbortSignal): Promise<InboxAnswer> {
    const query = new URLSearchParams({ wait_ms: String(waitMs) });
    if (after) query.set("after", after);
    return this.request("GET", `/v1/runs/${this.options.runId}/inbox?${query}`, inboxResponseSchema, undefined, signal, waitMs + REQUEST_TIMEOUT_MS);
  }

  /** Stores the events in order; the ids the console gave them, in the same order. */
  async postEvents(events: RuntimeEvent[]): Promise<string[]> {
    const answer = await this.request("POST", `/v1/runs/${this.options.runId}/events`, postRuntimeEventsResponseSchema, { events });
    if (answer.data.length !== events.length)
      throw new Error(`POST /v1/runs/${this.options.runId}/events stored ${answer.data.length} of ${events.length} events`);
    return answer.data.map((event) => event.id);
  }

  /** Ends the turn but not the run: the runner waits in the inbox for the session's next message. */
  rest(request: RestRequest): Promise<RestResponse> {
    return this.request("POST", `/v1/runs/${this.options.runId}/rest`, restResponseSchema, restRequestSchema.parse(request));
  }

  async finish(request: FinishRequest): Promise<void> {
    await this.request("POST", `/v1/runs/${this.options.runId}/finish`, z.unknown(), finishRequestSchema.parse(request));
  }
}
