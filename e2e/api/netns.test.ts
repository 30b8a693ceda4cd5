// The network-namespace harness itself (lib/runner/netns.ts), before any runtime relies on it: a
// forwarded port reaches its stub (over TLS too, trusting the stub's CA as a runtime would), a port
// that is not forwarded is unreachable although it listens on this host's loopback, and a name the
// command resolves lands in the DNS sink instead of leaving the namespace. Needs no console.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createEgressCa } from "@/lib/boundary/egress-ca";

import { startHttpsStub, type HttpsStub } from "./https-stub";
import { netnsUnavailable, runInNetns } from "@/lib/runner/netns";
import { startStubUpstream, type StubUpstream } from "./stub-upstream";

/** A node script for inside the namespace: each line of output is `<url> <status or error code>`. */
const PROBE = `
const dns = require("node:dns/promises");
(async () => {
  for (const url of process.argv.slice(1)) {
    const answer = await fetch(url).then((response) => String(response.status), (error) => String(error.cause?.code ?? error));
    console.log(url + " " + answer);
  }
  const looked = await dns.lookup("netns-probe.test").then(() => "resolved", (error) => error.code);
  console.log("lookup " + looked);
})();
`;

const unavailable = netnsUnavailable();
if (unavailable) console.warn(`[netns] runtime tests in a network namespace are skipped: ${unavailable}; run the suite as root`);

describe.skipIf(unavailable !== null)("the network-namespace harness", () => {
  let tls: HttpsStub;
  let forwarded: StubUpstream;
  let elsewhere: StubUpstream;
  let dir: string;

  beforeAll(async () => {
    tls = await startHttpsStub({ host: "127.0.0.3", ca: await createEgressCa("netns harness test CA") });
    [forwarded, elsewhere] = await Promise.all([startStubUpstream(), startStubUpstream()]);
    dir = mkdtempSync(join(tmpdir(), "netns-test-"));
    writeFileSync(join(dir, "ca.pem"), tls.caCertificatePem);
  });

  afterAll(async () => {
    await Promise.all([tls?.close(), forwarded?.close(), elsewhere?.close()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("reaches forwarded ports only, and no name leaves the namespace", async () => {
    const plainPort = Number(new URL(forwarded.origin).port);
    const result = await runInNetns({
      command: process.execPath,
      args: ["-e", PROBE, `http://127.0.0.1:${plainPort}/v1/models`, `${tls.origin}/v1/models`, `${elsewhere.origin}/v1/models`],
      env: { PATH: "/usr/bin:/bin", NODE_EXTRA_CA_CERTS: join(dir, "ca.pem") },
      forwards: [
        { port: plainPort, to: { host: "127.0.0.1", port: plainPort } },
        { host: tls.host, port: tls.port, to: { host: tls.host, port: tls.port } },
      ],
      cwd: dir,
      timeoutMs: 20_000,
    });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toBe(`http://127.0.0.1:${plainPort}/v1/models 200`);
    // The TLS stub's leaf, for its own address, verified against its CA as a runtime would.
    expect(lines[1]).toBe(`${tls.origin}/v1/models 200`);
    expect(lines[2]).toBe(`${elsewhere.origin}/v1/models ECONNREFUSED`);
    expect(lines[3]).toBe("lookup EAI_AGAIN");
    expect(tls.requests.map((request) => `${request.method} ${request.path}`)).toEqual(["GET /v1/models"]);
    expect(forwarded.requests.map((request) => `${request.method} ${request.path}`)).toEqual(["GET /v1/models"]);
    expect(elsewhere.requests).toEqual([]);
    expect(result.connections.map((connection) => connection.port).sort()).toEqual([plainPort, tls.port].sort());
    expect(result.connections.find((connection) => connection.port === plainPort)?.firstLine).toBe("GET /v1/models HTTP/1.1");
    expect(result.dnsQueries).toContain("netns-probe.test");
  });
});
