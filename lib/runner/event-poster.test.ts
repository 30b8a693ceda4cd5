import { describe, expect, it } from "vitest";

import { EventPoster, SPAN_START_LINGER_MS } from "./event-poster";
import type { RuntimeEvent } from "./protocol";

/** A console that stores what it is sent, numbering ids; each post waits for `release()`. */
function fakeConsole() {
  const batches: RuntimeEvent[][] = [];
  let next = 1;
  let gate: Array<() => void> = [];
  const post = async (events: RuntimeEvent[]) => {
    batches.push(events);
    await new Promise<void>((resolve) => gate.push(resolve));
    return events.map(() => `sevt_${next++}`);
  };
  const release = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    const waiting = gate;
    gate = [];
    for (const open of waiting) open();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { batches, post, release };
}

const message = (text: string): RuntimeEvent => ({ type: "agent.message", content: [{ type: "text", text }] });

describe("EventPoster", () => {
  it("posts the first event at once and what comes meanwhile in one batch after it", async () => {
    const console_ = fakeConsole();
    const poster = new EventPoster(console_.post, () => undefined);
    const first = poster.enqueue([{ event: message("one") }]);
    const rest = poster.enqueue([{ event: message("two") }, { event: message("three") }]);
    await console_.release();
    await console_.release();
    expect(await first).toEqual(["sevt_1"]);
    expect(await rest).toEqual(["sevt_2", "sevt_3"]);
    expect(console_.batches.map((batch) => batch.length)).toEqual([1, 2]);
  });

  it("posts drafts queued as the last batch's ids come back (the drain finishing), with no later enqueue to push them", async () => {
    const poster = new EventPoster(
      async (events) => events.map((_, index) => `sevt_${index + 1}`),
      () => undefined,
    );
    const first = poster.enqueue([{ event: message("one"), key: "one" }]);
    // Queued the moment the first id is known: the drain has found its queue empty, its finally not yet run.
    const second = poster.idOf("one").then(() => poster.enqueue([{ event: message("two") }]));
    await first;
    await expect(Promise.race([second, new Promise((resolve) => setTimeout(() => resolve("never posted"), 1000))])).resolves.toEqual(["sevt_1"]);
  });

  it("fills a reference with the stored id, ending a batch before an event whose target is in it", async () => {
    const console_ = fakeConsole();
    const poster = new EventPoster(console_.post, () => undefined);
    void poster.enqueue([{ event: message("first") }]);
    void poster.enqueue([
      { event: { type: "agent.tool_use", name: "bash", input: {}, evaluated_permission: "allow" }, key: "toolu_1" },
      { event: { type: "agent.tool_result", tool_use_id: "", content: [], is_error: false }, ref: { field: "tool_use_id", key: "toolu_1" } },
    ]);
    const toolUseId = poster.idOf("toolu_1");
    for (let round = 0; round < 3; round++) await console_.release();
    await poster.settled();
    expect(console_.batches.map((batch) => batch.map((event) => event.type))).toEqual([["agent.message"], ["agent.tool_use"], ["agent.tool_result"]]);
    expect(await toolUseId).toBe("sevt_2");
    expect(console_.batches[2]?.[0]).toMatchObject({ tool_use_id: "sevt_2" });
  });

  it("drops an event pointing at one never posted", async () => {
    const console_ = fakeConsole();
    const poster = new EventPoster(console_.post, () => undefined);
    const stored = poster.enqueue([
      { event: { type: "agent.tool_result", tool_use_id: "", content: [], is_error: false }, ref: { field: "tool_use_id", key: "toolu_unknown" } },
      { event: message("kept") },
    ]);
    await console_.release();
    expect(await stored).toEqual([null, "sevt_1"]);
    expect(console_.batches).toEqual([[message("kept")]]);
  });

  it("reports a console that keeps refusing, once, after retrying", async () => {
    const failures: Error[] = [];
    let attempts = 0;
    const poster = new EventPoster(
      async () => {
        attempts++;
        throw new Error("HTTP 409: run ended");
      },
      (error) => failures.push(error),
    );
    expect(await poster.enqueue([{ event: message("lost") }])).toEqual([null]);
    await expect(poster.settled()).rejects.toThrow("HTTP 409");
    expect(attempts).toBe(3);
    expect(failures.map((error) => error.message)).toEqual(["HTTP 409: run ended"]);
  });

  it("holds a lone model request start for its first content, and posts the two together", async () => {
    const console_ = fakeConsole();
    const poster = new EventPoster(console_.post, () => undefined);
    const start = poster.enqueue([{ event: { type: "span.model_request_start" }, key: "span_1" }]);
    await new Promise((resolve) => setTimeout(resolve, SPAN_START_LINGER_MS / 5));
    expect(console_.batches).toEqual([]);
    const text = poster.enqueue([{ event: message("hello") }]);
    await console_.release();
    expect([await start, await text]).toEqual([["sevt_1"], ["sevt_2"]]);
    expect(console_.batches.map((batch) => batch.map((event) => event.type))).toEqual([["span.model_request_start", "agent.message"]]);
  });

  it("posts a model request start that no content follows once its wait is over", async () => {
    const posted: number[] = [];
    const poster = new EventPoster(
      async (events) => {
        posted.push(performance.now());
        return events.map((_, index) => `sevt_${index + 1}`);
      },
      () => undefined,
    );
    const enqueuedAt = performance.now();
    expect(await poster.enqueue([{ event: { type: "span.model_request_start" }, key: "span_1" }])).toEqual(["sevt_1"]);
    expect(posted).toHaveLength(1);
    expect((posted[0] as number) - enqueuedAt).toBeGreaterThanOrEqual(SPAN_START_LINGER_MS - 2);
  });
});
