// The stub upstream over TLS, for the egress proxy (issue 11): a runtime keeps the real https URL of
// its endpoints, so a stub must be an https origin the console verifies as it would any host.
// It serves a leaf for its own address signed by the suite's test CA (CONSOLE_TEST_UPSTREAM_CA, which
// the consoles trust through NODE_EXTRA_CA_CERTS), so an intercepted request is re-originated to it
// with normal verification and a tunnelled client sees this CA, not the egress CA. It records and
// answers exactly like the plain stub (one core, two transports), and counts TCP connections, so a
// refusal can be shown to have dialled nothing.
import { readFileSync } from "node:fs";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";

import { z } from "zod";

import { EgressCertificateAuthority, type EgressCaMaterial } from "@/lib/boundary/egress-ca";

import { anthropicApi, answerJson, recordingCore, type StubHandler, type StubUpstream } from "./stub-upstream";

/** The file CONSOLE_TEST_UPSTREAM_CA names: the test CA, its key in PKCS#8 base64. */
const testCaFile = z.object({ certificatePem: z.string().min(1), privateKeyPkcs8Base64: z.string().min(1) });

/** The suite's test CA (the one the consoles trust for upstreams), from CONSOLE_TEST_UPSTREAM_CA. */
export function testUpstreamCa(): EgressCaMaterial {
  const path = process.env.CONSOLE_TEST_UPSTREAM_CA;
  if (!path) throw new Error("CONSOLE_TEST_UPSTREAM_CA is not set: run the api project through scripts/test.ts, or export it yourself");
  const parsed = testCaFile.parse(JSON.parse(readFileSync(path, "utf8")));
  return { certificatePem: parsed.certificatePem, privateKeyPkcs8: Buffer.from(parsed.privateKeyPkcs8Base64, "base64") };
}

/** 200 with what the stub saw of the request line; its headers and body stay in `requests`. */
export const answerOk: StubHandler = (request, response) => answerJson(response, 200, { ok: true, method: request.method, path: request.path });

export interface HttpsStubOptions {
  /** A loopback address (127.0.0.x): each address is a host of its own to the proxy's policy. */
  host?: string;
  /** 0 (the default) takes a free port; 443 for hosts named without a port (target_domains, allowed_hosts). */
  port?: number;
  /** How it answers; the Anthropic API stub unless given. */
  handler?: StubHandler;
  /** The CA that signs the stub's leaf; the suite's test CA unless given. */
  ca?: EgressCaMaterial;
}

export interface HttpsStub extends StubUpstream {
  /** The PEM of the CA the stub's leaf chains to, for a client that must trust it directly. */
  caCertificatePem: string;
  host: string;
  port: number;
  /** TCP connections accepted since the last clear(). */
  connections: number;
}

/** Starts an https stub on `host` (default 127.0.0.2) whose `origin` is URL.origin of `https://<host>:<port>`. */
export async function startHttpsStub(options: HttpsStubOptions = {}): Promise<HttpsStub> {
  const host = options.host ?? "127.0.0.2";
  const port = options.port ?? 0;
  const authority = await EgressCertificateAuthority.load(options.ca ?? testUpstreamCa());
  const leaf = await authority.leafFor(host);
  const core = recordingCore(options.handler ?? anthropicApi());
  // ALPN http/1.1 only, as the console's proxy offers: the stub's job is to record, not to negotiate.
  const server = createServer({ cert: leaf.certificatePem, key: leaf.privateKeyPem, ALPNProtocols: ["http/1.1"] }, core.listener);
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      rejectListen(new Error(`the https stub could not listen on ${host}:${port} (${error.code ?? error.message}); is another test using it?`)),
    );
    server.listen(port, host, () => resolveListen());
  });
  const listening = (server.address() as AddressInfo).port;
  // On 443 URL.origin drops the port, as the origins the console compares do.
  const upstream = core.upstream(server, new URL(`https://${host}:${listening}`).origin);
  const stub: HttpsStub = {
    ...upstream,
    caCertificatePem: authority.certificatePem,
    host,
    port: listening,
    connections: 0,
    clear() {
      upstream.clear();
      stub.connections = 0;
    },
  };
  server.on("connection", () => (stub.connections += 1));
  return stub;
}
