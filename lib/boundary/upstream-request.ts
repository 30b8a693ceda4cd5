import dns from "node:dns";
import http, { type ClientRequest, type OutgoingHttpHeaders } from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { resolvedAddressRefusal, type PrivateEndpoints } from "@/lib/boundary/endpoint-policy";

/**
 * The one way a token leaves the console: a request to an endpoint the policy allowed, whose name
 * is resolved through a lookup that refuses every address the policy refuses (so a name that
 * rebinds to 169.254.169.254 or 127.0.0.1 between the check and the connect reaches nothing), with
 * the credential headers set on the request object after it exists. Headers passed in the options
 * of http.request are printed by NODE_DEBUG=http (the agent logs the options it connects with).
 */

/** A refusal by the endpoint policy after DNS: the caller answers it, never as "unreachable". */
export class EndpointRefusedError extends Error {
  readonly code = "ENDPOINT_REFUSED";
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** The system resolver, every address of the name; tests pass a stub instead. */
export type Resolver = (hostname: string, family: number) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = (hostname, family) => dns.promises.lookup(hostname, { all: true, family: family === 4 || family === 6 ? family : 0 });

/**
 * A `lookup` for http.request and net.connect: resolves every address, and fails the connection
 * with EndpointRefusedError if any of them is refused (a mixed answer is a rebinding attempt or a
 * misconfiguration, neither a reason to pick the public half).
 */
export function guardedLookup(url: URL, privateEndpoints: PrivateEndpoints, resolve: Resolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, options.family === 4 || options.family === 6 ? options.family : 0).then(
      (addresses) => {
        if (addresses.length === 0) {
          callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "", 0);
          return;
        }
        for (const { address } of addresses) {
          const refusal = resolvedAddressRefusal(url, address, privateEndpoints);
          if (refusal) {
            callback(new EndpointRefusedError(refusal), "", 0);
            return;
          }
        }
        const first = addresses[0] as ResolvedAddress;
        // The callback's declared type has one shape; with `all`, net expects the list instead.
        if (options.all) (callback as unknown as (error: null, all: ResolvedAddress[]) => void)(null, addresses);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, "", 0),
    );
  };
}

/**
 * How long a kept-alive upstream connection may sit idle before this side closes it. Servers close
 * idle connections on their own schedule (Node's after 5 s), and a request sent on a connection the
 * server is closing at that moment fails with ECONNRESET, which the runtime sees as an unreachable
 * model: a model call that follows a 5-second tool run met exactly that. Closing first, as undici
 * does at 4 s, trades one new connection after a pause for that failure. An idle time the server
 * announces (`Keep-Alive: timeout=N`) shortens it further (Node's agent applies it, less a second).
 */
export const IDLE_UPSTREAM_CONNECTION_MS = 4_000;

/** The kept-alive agent an upstream door sends through; `https` takes the TLS settings of its connections. */
export function upstreamAgent(protocol: "http:"): http.Agent;
export function upstreamAgent(protocol: "https:", tlsOptions?: https.AgentOptions): https.Agent;
export function upstreamAgent(protocol: "http:" | "https:", tlsOptions: https.AgentOptions = {}): http.Agent {
  // noDelay (also the default of Node's own agents): a request's last bytes leave at once, not after the upstream's delayed ACK.
  const options = { keepAlive: true, noDelay: true, timeout: IDLE_UPSTREAM_CONNECTION_MS };
  return protocol === "https:" ? new https.Agent({ ...tlsOptions, ...options }) : new http.Agent(options);
}

export interface UpstreamRequestOptions {
  method: string;
  /** Headers without any secret: these go into the request options. */
  headers: OutgoingHttpHeaders;
  /** The token's headers (and any other header holding a secret), set on the request object once it exists. */
  credentialHeaders: Record<string, string | string[]>;
  privateEndpoints: PrivateEndpoints;
  agent?: http.Agent;
  timeoutMs?: number;
  resolve?: Resolver;
}

/** Opens the request (nothing is sent before the caller writes or ends it). */
export function openUpstreamRequest(url: URL, options: UpstreamRequestOptions): ClientRequest {
  const client = url.protocol === "https:" ? https : http;
  // The URL's parts as options (what http.request would derive from the URL itself, per request).
  const request = client.request({
    protocol: url.protocol,
    hostname: url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port,
    path: `${url.pathname}${url.search}`,
    method: options.method,
    headers: options.headers,
    agent: options.agent,
    timeout: options.timeoutMs,
    lookup: guardedLookup(url, options.privateEndpoints, options.resolve),
  });
  for (const [name, value] of Object.entries(options.credentialHeaders)) request.setHeader(name, value);
  return request;
}

/** A small JSON answer from an upstream: its status and parsed body (null when not JSON, or larger than allowed). */
export interface JsonAnswer {
  status: number;
  body: unknown;
}

/**
 * One request with secrets in headers (or a body) and a bounded JSON answer, for the console's own
 * calls to upstreams (the test connection, an OAuth refresh). Rejects when the connection fails,
 * the endpoint policy refuses the address, or the deadline passes.
 */
export function exchangeJson(url: URL, options: UpstreamRequestOptions & { body?: Buffer; deadlineMs: number; maxAnswerBytes: number }): Promise<JsonAnswer> {
  return new Promise((resolve, reject) => {
    const request = openUpstreamRequest(url, options);
    const deadline = setTimeout(() => request.destroy(new Error("timed out")), options.deadlineMs);
    request.on("error", (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const answer = (body: unknown) => {
        clearTimeout(deadline);
        resolve({ status: response.statusCode ?? 0, body });
      };
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size <= options.maxAnswerBytes) chunks.push(chunk);
        else {
          response.destroy();
          answer(null);
        }
      });
      response.on("end", () => {
        try {
          answer(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        } catch {
          answer(null);
        }
      });
      response.on("error", () => answer(null));
    });
    request.end(options.body);
  });
}
