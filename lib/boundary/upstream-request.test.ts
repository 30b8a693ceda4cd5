import http, { type IncomingHttpHeaders } from "node:http";
import net, { type AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_PRIVATE_ENDPOINTS, parsePrivateEndpoints } from "@/lib/boundary/endpoint-policy";
import {
  EndpointRefusedError,
  guardedLookup,
  IDLE_UPSTREAM_CONNECTION_MS,
  openUpstreamRequest,
  upstreamAgent,
  type ResolvedAddress,
  type Resolver,
} from "@/lib/boundary/upstream-request";

// No test here resolves a real name: every lookup goes to a stub resolver, and the only
// connections made are to a listener on 127.0.0.1.

function stubResolver(answers: Record<string, ResolvedAddress[]>, asked: string[] = []): Resolver {
  return async (hostname) => {
    asked.push(hostname);
    const answer = answers[hostname];
    if (!answer) throw Object.assign(new Error(`stub: no answer for ${hostname}`), { code: "ENOTFOUND" });
    return answer;
  };
}

function allowList(value: string) {
  const parsed = parsePrivateEndpoints(value);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.endpoints;
}

type LookupOutcome = { error: (Error & { code?: string }) | null; address: unknown; family?: number };

function lookUp(url: string, resolver: Resolver, options: { all?: boolean; family?: number } = {}, privateEndpoints = NO_PRIVATE_ENDPOINTS) {
  const parsed = new URL(url);
  const lookup = guardedLookup(parsed, privateEndpoints, resolver);
  return new Promise<LookupOutcome>((resolveOutcome) => {
    lookup(parsed.hostname, { all: options.all ?? false, family: options.family ?? 0 }, (error, address, family) => resolveOutcome({ error, address, family }));
  });
}

describe("guardedLookup with a stubbed resolver", () => {
  const answers = {
    "api.example.com": [
      { address: "203.0.114.10", family: 4 },
      { address: "2606:4700::1111", family: 6 },
    ],
    "rebind.example.com": [{ address: "127.0.0.1", family: 4 }],
    "metadata.example.com": [{ address: "169.254.169.254", family: 4 }],
    "mapped.example.com": [{ address: "::ffff:10.0.0.1", family: 6 }],
    "mixed.example.com": [
      { address: "203.0.114.10", family: 4 },
      { address: "fd00:ec2::254", family: 6 },
    ],
    "gw.corp.example": [{ address: "10.1.2.3", family: 4 }],
  };

  it("answers a public name's first address, or all of them when asked", async () => {
    expect(await lookUp("https://api.example.com", stubResolver(answers))).toEqual({ error: null, address: "203.0.114.10", family: 4 });
    const all = await lookUp("https://api.example.com", stubResolver(answers), { all: true });
    expect(all.error).toBeNull();
    expect(all.address).toEqual(answers["api.example.com"]);
  });

  it.each(["rebind.example.com", "metadata.example.com", "mapped.example.com", "mixed.example.com"])(
    "refuses %s, which resolves to a refused address",
    async (host) => {
      for (const all of [false, true]) {
        const outcome = await lookUp(`https://${host}`, stubResolver(answers), { all });
        expect(outcome.error).toBeInstanceOf(EndpointRefusedError);
        expect(outcome.error?.message).toMatch(new RegExp(`${host.replace(/\./g, "\\.")} resolved to`));
      }
    },
  );

  it("lets an allow-listed name resolve to a private address", async () => {
    const outcome = await lookUp("https://gw.corp.example", stubResolver(answers), {}, allowList("gw.corp.example"));
    expect(outcome).toEqual({ error: null, address: "10.1.2.3", family: 4 });
  });

  it("passes resolver failures on as they are", async () => {
    const outcome = await lookUp("https://nowhere.example.com", stubResolver(answers));
    expect(outcome.error?.code).toBe("ENOTFOUND");
  });
});

describe("openUpstreamRequest", () => {
  let server: http.Server;
  let port = 0;
  const received: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      received.push(request.headers);
      response.end("ok");
    });
    await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((closed) => server.close(closed));
  });

  function send(url: string, resolver: Resolver, privateEndpoints = NO_PRIVATE_ENDPOINTS, agent?: http.Agent) {
    return new Promise<{ status?: number; error?: Error }>((settle) => {
      const request = openUpstreamRequest(new URL(url), {
        method: "GET",
        headers: { accept: "application/json" },
        credentialHeaders: { "x-api-key": "token-in-a-header" },
        privateEndpoints,
        resolve: resolver,
        agent,
      });
      request.on("response", (response) => {
        response.resume();
        response.on("end", () => settle({ status: response.statusCode }));
      });
      request.on("error", (error) => settle({ error }));
      request.end();
    });
  }

  it("refuses, before connecting, a name that rebinds to loopback", async () => {
    received.length = 0;
    const outcome = await send(`http://rebind.example.com:${port}/v1/models`, stubResolver({ "rebind.example.com": [{ address: "127.0.0.1", family: 4 }] }));
    expect(outcome.error).toBeInstanceOf(EndpointRefusedError);
    expect(received).toEqual([]);
  });

  it("connects an allow-listed name, with the credential header set after the request exists", async () => {
    received.length = 0;
    const connectOptions: string[] = [];
    // What the agent is handed is what NODE_DEBUG=http prints: it must not hold the token.
    const agent = new (class extends http.Agent {
      override createConnection(...args: Parameters<http.Agent["createConnection"]>) {
        connectOptions.push(inspect(args[0], { depth: 5 }));
        return super.createConnection(...args);
      }
    })();
    const resolver = stubResolver({ "stub.example.com": [{ address: "127.0.0.1", family: 4 }] });
    const outcome = await send(`http://stub.example.com:${port}/v1/models`, resolver, allowList("stub.example.com"), agent);
    expect(outcome.status).toBe(200);
    expect(received[0]?.["x-api-key"]).toBe("token-in-a-header");
    expect(connectOptions.length).toBe(1);
    expect(connectOptions[0]).toContain("stub.example.com");
    expect(connectOptions[0]).not.toContain("token-in-a-header");
    agent.destroy();
  });
});

describe("upstreamAgent", () => {
  it("does not send on a kept-alive connection idle long enough for the upstream to be closing it", { timeout: 20_000 }, async () => {
    // An upstream that closes idle connections a little after the agent's limit, without saying
    // so in a Keep-Alive header, at the very moment a request arrives on one: the race that
    // reached a runtime as "unreachable (ECONNRESET)" when a model call followed a 5-second pause.
    const closesAfterMs = IDLE_UPSTREAM_CONNECTION_MS + 200;
    let connections = 0;
    const upstream = net.createServer((socket) => {
      connections += 1;
      let lastAnswered = 0;
      socket.on("data", () => {
        if (lastAnswered > 0 && Date.now() - lastAnswered >= closesAfterMs) {
          socket.resetAndDestroy();
          return;
        }
        lastAnswered = Date.now();
        socket.write("HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\nok");
      });
    });
    await new Promise<void>((listening) => upstream.listen(0, "127.0.0.1", listening));
    const port = (upstream.address() as AddressInfo).port;
    const agent = upstreamAgent("http:");
    const resolver = stubResolver({ "stub.example.com": [{ address: "127.0.0.1", family: 4 }] });
    const call = () =>
      new Promise<number>((resolve, reject) => {
        const request = openUpstreamRequest(new URL(`http://stub.example.com:${port}/v1/messages`), {
          method: "POST",
          headers: { "content-type": "application/json" },
          credentialHeaders: { "x-api-key": "token-in-a-header" },
          privateEndpoints: allowList("stub.example.com"),
          resolve: resolver,
          agent,
        });
        request.on("response", (response) => {
          response.resume();
          response.on("end", () => resolve(response.statusCode ?? 0));
        });
        request.on("error", reject);
        request.end("{}");
      });
    try {
      expect(await call()).toBe(200);
      expect(await call()).toBe(200);
      expect(connections).toBe(1);
      await new Promise((wait) => setTimeout(wait, closesAfterMs + 100));
      expect(await call()).toBe(200);
      expect(connections).toBe(2);
    } finally {
      agent.destroy();
      await new Promise((closed) => upstream.close(closed));
    }
  });
});
