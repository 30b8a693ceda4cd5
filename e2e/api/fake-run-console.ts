// A stand-in for the console's side of one run, for testing the runner process on its own: the
// runtime settings (boundary mode), a boundary that swaps the placeholder for the real token on
// the way to the model stub, and the run routes (inbox, events, finish) answering as the runner
// protocol says, every body checked with the protocol's own schemas. Loopback only.
import { randomBytes } from "node:crypto";
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { finishRequestSchema, postRuntimeEventsSchema, type FinishRequest, type RunClaim, type ToolPolicy } from "@/lib/runner/protocol";

/** A stored event as the console would return it: the runner's event plus an id. */
export type StoredEvent = { id: string; type: string } & Record<string, unknown>;

export interface FakeRunConsole {
  origin: string;
  /** The claim a worker would have received for this run. */
  claim: RunClaim;
  /** The token the boundary puts in place of the placeholder: what only the model stub may see. */
  realToken: string;
  placeholder: string;
  /** Every event, user and runtime, in order. */
  events: StoredEvent[];
  /** Queues a user event for the run, as POST /v1/sessions/{id}/events would. */
  send(event: { type: string } & Record<string, unknown>): StoredEvent;
  /** The first event matching, once it is there. */
  waitForEvent(match: (event: StoredEvent) => boolean, timeoutMs?: number): Promise<StoredEvent>;
  finished: Promise<FinishRequest>;
  close(): Promise<void>;
}

const BETA = "managed-agents-2026-04-01";

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

export interface FakeRunOptions {
  sessionId: string;
  upstreamOrigin: string;
  model: string;
  tools: ToolPolicy;
  /** The Agent SDK session a later run resumes (what an earlier run's finish reported). */
  resume?: string | null;
}

export async function startFakeRunConsole(options: FakeRunOptions): Promise<FakeRunConsole> {
  const runId = `run_${randomBytes(8).toString("hex")}`;
  const apiKey = `s0_runtime_${randomBytes(16).toString("hex")}`;
  const placeholder = `s0rt_${randomBytes(16).toString("hex")}`;
  const realToken = `sk-ant-real-${randomBytes(16).toString("hex")}`;
  const events: StoredEvent[] = [];
  const userEventIds: string[] = [];
  let nextId = 1;
  let runOpen = true;
  let notify: Array<() => void> = [];
  const changed = () => {
    for (const wake of notify) wake();
    notify = [];
  };
  let resolveFinished: (request: FinishRequest) => void = () => undefined;
  const finished = new Promise<FinishRequest>((resolve) => (resolveFinished = resolve));

  const store = (event: { type: string } & Record<string, unknown>): StoredEvent => {
    const stored = { ...event, id: `sevt_${String(nextId++).padStart(6, "0")}` };
    events.push(stored);
    changed();
    return stored;
  };
  const waitChange = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      notify.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://fake.invalid");
    const body = await bodyOf(request);
    if (url.pathname.startsWith(`/boundary/${options.sessionId}/`)) {
      // The credential boundary, reduced: the placeholder in, the real token out, the stream through.
      if (request.headers["x-api-key"] !== placeholder)
        return json(response, 401, { type: "error", error: { type: "authentication_error", message: "wrong placeholder" } });
      const upstream = new URL(url.pathname.slice(`/boundary/${options.sessionId}`.length) + url.search, options.upstreamOrigin);
      const headers = { ...request.headers, host: upstream.host, "x-api-key": realToken, authorization: `Bearer ${realToken}` };
      const forwarded = httpRequest(upstream, { method: request.method, headers }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      forwarded.on("error", () => response.destroy());
      // A runner that stops reading (an interrupt) stops the upstream stream too, as the boundary does.
      response.on("close", () => forwarded.destroy());
      forwarded.end(body);
      return;
    }
    if (request.headers["x-api-key"] !== apiKey || request.headers["anthropic-beta"] !== BETA) {
      return json(response, 401, { type: "error", error: { type: "authentication_error", message: "wrong key or beta header" } });
    }
    if (request.method === "POST" && url.pathname === `/v1/sessions/${options.sessionId}/runtime`) {
      const origin = `http://${request.headers.host}`;
      return json(response, 200, {
        type: "session_runtime",
        session_id: options.sessionId,
        engine: "claude",
        mode: "boundary",
        ca_certificate: null,
        ca_bundle: null,
        env: { ANTHROPIC_BASE_URL: `${origin}/boundary/${options.sessionId}`, ANTHROPIC_API_KEY: placeholder, CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1" },
      });
    }
    if (request.method === "GET" && url.pathname === `/v1/runs/${runId}/inbox`) {
      const after = url.searchParams.get("after");
      const waitMs = Number(url.searchParams.get("wait_ms") ?? 0);
      const deadline = Date.now() + waitMs;
      for (;;) {
        const from = after ? userEventIds.indexOf(after) + 1 : 0;
        const ids = userEventIds.slice(from);
        if (ids.length > 0 || !runOpen || Date.now() >= deadline) {
          return json(response, 200, { data: ids.map((id) => events.find((event) => event.id === id)), run_open: runOpen });
        }
        await waitChange(deadline - Date.now());
      }
    }
    if (request.method === "POST" && url.pathname === `/v1/runs/${runId}/events`) {
      const parsed = postRuntimeEventsSchema.safeParse(JSON.parse(body));
      if (!parsed.success) return json(response, 400, { type: "error", error: { type: "invalid_request_error", message: parsed.error.message } });
      return json(response, 200, { data: parsed.data.events.map((event) => store(event)) });
    }
    if (request.method === "POST" && url.pathname === `/v1/runs/${runId}/finish`) {
      const parsed = finishRequestSchema.safeParse(JSON.parse(body));
      if (!parsed.success) return json(response, 400, { type: "error", error: { type: "invalid_request_error", message: parsed.error.message } });
      runOpen = false;
      changed();
      resolveFinished(parsed.data);
      return json(response, 200, { type: "run", id: runId });
    }
    json(response, 404, { type: "error", error: { type: "not_found_error", message: `fake console: no route ${request.method} ${url.pathname}` } });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    claim: {
      type: "run_claim",
      run_id: runId,
      session_id: options.sessionId,
      attempt: 1,
      api_key: apiKey,
      resume: options.resume ?? null,
      egress_port: null,
      agent: { model: options.model, system: "You are the runner test's agent.", tools: options.tools },
      rest_seconds: 0,
    },
    realToken,
    placeholder,
    events,
    send(event) {
      const stored = store(event);
      userEventIds.push(stored.id);
      return stored;
    },
    async waitForEvent(match, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find(match);
        if (found) return found;
        if (Date.now() >= deadline) throw new Error(`no such event within ${timeoutMs} ms; events: ${events.map((event) => event.type).join(", ")}`);
        await waitChange(deadline - Date.now());
      }
    },
    finished,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
