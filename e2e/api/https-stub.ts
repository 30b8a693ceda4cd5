// The stub upstream over TLS, for the egress proxy (issue 11): a runtime keeps the real https URL of
// its LLM endpoint, so the stub must be an https origin the console verifies as it would any host.
// It serves a leaf for its own address signed by the suite's test CA (CONSOLE_TEST_UPSTREAM_CA, which
// the consoles trust through NODE_EXTRA_CA_CERTS), and records and answers exactly like the plain
// stub: one core, two transports.
import { readFileSync } from "node:fs";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";

import { z } from "zod";

import { EgressCertificateAuthority, type EgressCaMaterial } from "@/lib/boundary/egress-ca";

import { anthropicApi, recordingCore, type StubHandler, type StubUpstream } from "./stub-upstream";

/** The file CONSOLE_TEST_UPSTREAM_CA names: the test CA, its key in PKCS#8 base64. */
const testCaFile = z.object({ certificatePem: z.string().min(1), privateKeyPkcs8Base64: z.string().min(1) });

/** The suite's test CA (the one the consoles trust for upstreams), from CONSOLE_TEST_UPSTREAM_CA. */
export function testUpstreamCa(): EgressCaMaterial {
  const path = process.env.CONSOLE_TEST_UPSTREAM_CA;
  if (!path) throw new Error("CONSOLE_TEST_UPSTREAM_CA is not set: run the api project through scripts/test.ts, or export it yourself");
  const parsed = testCaFile.parse(JSON.parse(readFileSync(path, "utf8")));
  return { certificatePem: parsed.certificatePem, privateKeyPkcs8: Buffer.from(parsed.privateKeyPkcs8Base64, "base64") };
}

export interface HttpsStubOptions {
  /** A loopback address (127.0.0.x): each address is a host of its own to the proxy's policy. */
  host?: string;
  /** 0 (the default) takes a free port. */
  port?: number;
  handler?: StubHandler;
  /** The CA that signs the stub's leaf; the suite's test CA unless given. */
  ca?: EgressCaMaterial;
}

export interface HttpsStub extends StubUpstream {
  /** The PEM of the CA the stub's leaf chains to, for a client that must trust it directly. */
  caCertificatePem: string;
  host: string;
  port: number;
}

/** Starts an https stub on `host` (default 127.0.0.2) whose `origin` is `https://<host>:<port>`. */
export async function startHttpsStub(options: HttpsStubOptions = {}): Promise<HttpsStub> {
  const host = options.host ?? "127.0.0.2";
  const authority = await EgressCertificateAuthority.load(options.ca ?? testUpstreamCa());
  const leaf = await authority.leafFor(host);
  const core = recordingCore(options.handler ?? anthropicApi());
  // ALPN http/1.1 only, as the console's proxy offers: the stub's job is to record, not to negotiate.
  const server = createServer({ cert: leaf.certificatePem, key: leaf.privateKeyPem, ALPNProtocols: ["http/1.1"] }, core.listener);
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once("error", rejectListen);
    server.listen(options.port ?? 0, host, () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  return { ...core.upstream(server, `https://${host}:${port}`), caCertificatePem: authority.certificatePem, host, port };
}
