import { describe, expect, it } from "vitest";
import { createLocalRunQueue } from "@/lib/runner/local-queue";
import type { RunJob } from "@/lib/runner/protocol";

const job = (index: number): RunJob => ({ run_id: `run_${index}`, session_id: `sesn_${index}`, claim_token: "t".repeat(43) });

describe("the embedded run queue", () => {
  it("hands a sent job to a free worker at once, never more than its concurrency, each job once", async () => {
    const queue = createLocalRunQueue();
    const started: string[] = [];
    const release: (() => void)[] = [];
    await queue.consume(2, async (each) => {
      started.push(each.run_id);
      await new Promise<void>((resolve) => release.push(resolve));
    });
    for (const index of [1, 2, 3]) await queue.send(job(index));
    expect(started).toEqual(["run_1", "run_2"]);
    release.shift()?.();
    await new Promise((wake) => setImmediate(wake));
    expect(started).toEqual(["run_1", "run_2", "run_3"]);
  });

  it("keeps jobs sent before any worker, and a stopped consumer takes no more", async () => {
    const queue = createLocalRunQueue();
    await queue.send(job(1));
    const first: string[] = [];
    const stop = await queue.consume(1, async (each) => void first.push(each.run_id));
    expect(first).toEqual(["run_1"]);
    await stop();
    await queue.send(job(2));
    const second: string[] = [];
    await queue.consume(1, async (each) => void second.push(each.run_id));
    expect(first).toEqual(["run_1"]);
    expect(second).toEqual(["run_2"]);
  });
});
