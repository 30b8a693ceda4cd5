// An https upstream on one loopback address, for the egress proxy's tests (SPEC §7): its leaf is
// signed by the suite's upstream test CA (CONSOLE_TEST_UPSTREAM_CA), which the consoles trust, so an
// intercepted request is re-originated to it with normal verification and a tunnelled client sees
// this CA, not the egress CA. It records every request and counts TCP connections, so a refusal can
// be shown to have dialled nothing.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { IncomingHttpHeaders, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";

import { EgressCertificateAuthority } from "@/lib/boundary/egress-ca";
import { requiredEnv } from "./support";

export interface TlsStubRequest {
  method: string;
  /** The request target as it arrived (path and query). */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type TlsStubHandler = (request: TlsStubRequest, response: ServerResponse) => void;

export interface TlsStub {
  host: string;
  port: number;
  /** `https://<host>:<port>`, or `https://<host>` on 443 (URL.origin's spelling). */
  origin: string;
  requests: TlsStubRequest[];
  /** TCP connections accepted since the last clear(). */
  connections: number;
  handle(handler: TlsStubHandler): void;
  clear(): void;
  close(): Promise<void>;
}

const upstreamCaFile = z.object({ certificatePem: z.string().min(1), privateKeyPkcs8Base64: z.string().min(1) });

let upstreamAuthority: Promise<EgressCertificateAuthority> | undefined;

/** The test CA the consoles trust for upstreams (a JSON file scripts/test.ts writes). */
export function upstreamCa(): Promise<EgressCertificateAuthority> {
  upstreamAuthority ??= (async () => {
    const file = upstreamCaFile.parse(JSON.parse(readFileSync(requiredEnv("CONSOLE_TEST_UPSTREAM_CA"), "utf8")));
    return EgressCertificateAuthority.load({
      certificatePem: file.certificatePem,
      privateKeyPkcs8: Buffer.from(file.privateKeyPkcs8Base64, "base64"),
    });
  })();
  return upstreamAuthority;
}

/** 200 with what the stub saw of the request, minus its headers (those stay in `requests`). */
export const answerOk: TlsStubHandler = (request, response) => {
  const body = JSON.stringify({ ok: true, method: request.method, path: request.path });
  response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  response.end(body);
};

/** Listens on `host` (a loopback address) and `port` (0: any free one). */
export async function startTlsStub(host: string, port = 0): Promise<TlsStub> {
  const leaf = await (await upstreamCa()).leafFor(host);
  let handler = answerOk;
  const stub: TlsStub = {
    host,
    port: 0,
    origin: "",
    requests: [],
    connections: 0,
    handle(next) {
      handler = next;
    },
    clear() {
      stub.requests.length = 0;
      stub.connections = 0;
    },
    close: () => close(server),
  };
  const server = createServer({ cert: leaf.certificatePem, key: leaf.privateKeyPem, ALPNProtocols: ["http/1.1"] }, (incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const request = { method: incoming.method ?? "GET", path: incoming.url ?? "/", headers: incoming.headers, body: Buffer.concat(chunks).toString("utf8") };
      stub.requests.push(request);
      handler(request, response);
    });
  });
  server.on("connection", () => (stub.connections += 1));
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(new Error(`the https stub could not listen on ${host}:${port} (${error.code ?? error.message}); is another test using it?`)),
    );
    server.listen(port, host, () => resolveListen());
  });
  stub.port = (server.address() as AddressInfo).port;
  stub.origin = new URL(`https://${host}:${stub.port}`).origin;
  return stub;
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolveClose) => server.close(() => resolveClose()));
}

/** Everything the stub received, as one text, for "did X reach it" checks. */
export function everythingSeen(stub: TlsStub): string {
  return stub.requests.map((request) => `${request.method} ${request.path}\n${JSON.stringify(request.headers)}\n${request.body}`).join("\n");
}
