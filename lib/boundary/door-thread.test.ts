import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { BoundaryTarget } from "@/lib/boundary/base-url-target";
import { newDoorWorker, startDoorThread, type DoorThread } from "@/lib/boundary/door-thread";
import { UNOBSERVED } from "@/lib/boundary/observer";

const PLACEHOLDER = "sk-ant-placeholder-door-thread-test";
const TOKEN = "sk-ant-token-door-thread-test";

/** A model API that answers with the token it was given, so a test sees the thread forwarded with the real one. */
async function startUpstream(): Promise<{ server: Server; origin: string }> {
  const server = createServer((incoming, response) => {
    incoming.resume().on("end", () => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ forwarded_with: incoming.headers["x-api-key"] === TOKEN ? "token" : "other" }));
    });
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** One model call through the door, answering the upstream's body, or the connection's error code. */
function modelCall(port: number): Promise<string> {
  return new Promise((answered) => {
    const call = request({
      host: "127.0.0.1",
      port,
      method: "POST",
      path: "/boundary/sesn_thread/v1/messages",
      headers: { "x-api-key": PLACEHOLDER, "content-type": "application/json" },
    });
    call.on("response", (response) => {
      let body = "";
      response.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      response.on("end", () => answered(`${response.statusCode} ${body}`));
    });
    call.on("error", (error: NodeJS.ErrnoException) => answered(error.code ?? "error"));
    call.end("{}");
  });
}

describe("the door's thread", () => {
  let upstream: Server | undefined;
  let thread: DoorThread | undefined;
  afterEach(async () => {
    await thread?.close();
    await new Promise((closed) => upstream?.close(closed));
    thread = upstream = undefined;
  });

  it("starts again on the same port after it stops, and not once the console has begun to stop", async () => {
    const stub = await startUpstream();
    upstream = stub.server;
    const target: BoundaryTarget = { upstreamBase: new URL(stub.origin), token: TOKEN, vaultId: "vlt_thread", placeholderExpiresAt: null };
    const workers: Worker[] = [];
    const troubles: string[] = [];
    thread = await startDoorThread({
      host: "127.0.0.1",
      port: 0,
      privateEndpoints: ["127.0.0.1"],
      resolveTarget: (_sessionId, placeholder) =>
        placeholder === PLACEHOLDER ? Promise.resolve(target) : Promise.reject(new Error("not this test's placeholder")),
      coherence: { watch: () => Promise.resolve(), trustedForMs: () => 0 },
      counters: { observer: UNOBSERVED, countRequest: () => undefined, countDecisions: () => undefined },
      onTrouble: (problem) => troubles.push(problem),
      newWorker: (settings) => {
        const worker = newDoorWorker(settings);
        workers.push(worker);
        return worker;
      },
    });
    const { port } = thread;
    expect(await modelCall(port)).toBe('200 {"forwarded_with":"token"}');

    await workers[0]?.terminate();
    expect(thread.alive()).toBe(false);
    expect(troubles).toEqual([expect.stringMatching(/thread stopped \(exit code 1\); starting it again$/)]);
    // Waiters on a stopped thread are released at once rather than at their timeout.
    await expect(thread.collect()).resolves.toBeUndefined();

    await vi.waitFor(() => expect(thread?.alive()).toBe(true), { timeout: 10_000, interval: 50 });
    expect(workers).toHaveLength(2);
    expect(await modelCall(port)).toBe('200 {"forwarded_with":"token"}');

    await thread.drained();
    await workers[1]?.terminate();
    await new Promise((waited) => setTimeout(waited, 1500));
    expect(workers).toHaveLength(2);
    expect(thread.alive()).toBe(false);
    expect(troubles).toHaveLength(1);
    expect(await modelCall(port)).toBe("ECONNREFUSED");
  }, 30_000);
});
