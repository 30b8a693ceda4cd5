// The one writer of session events against a real database (PostgreSQL when the run provides one,
// the embedded one otherwise): events come back in the order given with rising seqs, the session's
// status and usage follow in one statement, and the run row is read, typed, as it is locked.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/instances";
import { SYSTEM_CONTEXT } from "@/lib/server/audit";
import { lockRun, lockSession, recordEvents } from "@/lib/server/record-events";
import { openRunFor } from "@/lib/server/run-lifecycle";
import { createSession } from "@/lib/server/sessions";
import { bootWithAgentAndEnvironment } from "@/lib/server/testing/agent-and-environment";
import { setUpEmbeddedConsole } from "@/lib/server/testing/embedded-console";
import { transaction } from "@/lib/server/transaction";
import { sessionCreateSchema } from "@/lib/validation/sessions";

const embedded = setUpEmbeddedConsole("record-events");

async function aSession(): Promise<string> {
  const { agentId, environmentId } = await bootWithAgentAndEnvironment(embedded);
  return (await createSession(sessionCreateSchema.parse({ agent: agentId, environment_id: environmentId }), SYSTEM_CONTEXT)).id;
}

const usage = (input: number, output: number, cacheRead = 0) => ({
  input_tokens: input,
  output_tokens: output,
  cache_read_input_tokens: cacheRead,
  cache_creation_input_tokens: 0,
});

describe("recording session events", () => {
  it("stores a batch in order, and moves the session's status and usage", { timeout: 120_000 }, async () => {
    const sessionId = await aSession();
    const types = ["session.status_running", "span.model_request_start", "span.model_request_end", "agent.message", "span.model_request_end"];
    const first = await transaction(async (tx) => {
      const locked = await lockSession(tx, sessionId);
      if (!locked) throw new Error("no session");
      return recordEvents(tx, locked.id, [
        { type: "session.status_running", payload: {} },
        { type: "span.model_request_start", payload: {} },
        { type: "span.model_request_end", payload: { model_usage: usage(11, 4, 3) } },
        { type: "agent.message", payload: { content: [{ type: "text", text: "hi" }] } },
        { type: "span.model_request_end", payload: { model_usage: usage(1, 2) } },
      ]);
    });
    expect(first.map((event) => event.type)).toEqual(types);
    expect(first.map((event) => event.seq)).toEqual([...first.map((event) => event.seq)].sort((a, b) => (a < b ? -1 : 1)));
    expect(new Set(first.map((event) => event.id)).size).toBe(types.length);
    expect(first[3]?.payload).toEqual({ content: [{ type: "text", text: "hi" }] });
    let session = await db().agentSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect(session.status).toBe("running");
    expect(session.usage).toEqual(usage(12, 6, 3));

    // Usage adds up across calls; the last status event of a batch wins, even before the usage.
    await transaction(async (tx) => {
      const locked = await lockSession(tx, sessionId);
      if (!locked) throw new Error("no session");
      return recordEvents(tx, locked.id, [
        { type: "session.status_idle", payload: { stop_reason: { type: "end_turn" } } },
        { type: "span.model_request_end", payload: { model_usage: usage(100, 50) } },
      ]);
    });
    session = await db().agentSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect(session.status).toBe("idle");
    expect(session.usage).toEqual(usage(112, 56, 3));
  });

  it("reads a run as it locks it, with the model's types, and finds no run that is not there", { timeout: 120_000 }, async () => {
    const sessionId = await aSession();
    const job = await transaction((tx) => openRunFor(tx, sessionId));
    if (!job) throw new Error("no run opened");
    const { run, missing } = await transaction(async (tx) => ({ run: await lockRun(tx, job.run_id), missing: await lockRun(tx, "run_none") }));
    expect(missing).toBeNull();
    expect(run).toEqual(await db().sessionRun.findUnique({ where: { id: job.run_id } }));
    expect(run?.leaseExpiresAt).toBeInstanceOf(Date);
    expect(run?.attempt).toBe(0);
  });
});
