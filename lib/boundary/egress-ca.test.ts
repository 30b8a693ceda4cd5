import { connect, createServer } from "node:tls";
import type { AddressInfo } from "node:net";
import { X509Certificate } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createEgressCa, EgressCertificateAuthority } from "@/lib/boundary/egress-ca";

let authority: EgressCertificateAuthority;
let otherAuthority: EgressCertificateAuthority;

beforeAll(async () => {
  authority = await EgressCertificateAuthority.load(await createEgressCa("Console egress test CA"));
  otherAuthority = await EgressCertificateAuthority.load(await createEgressCa("Another CA"));
});

/** A TLS server on loopback presenting the leaf for `leafHost`: does a client trusting `ca` accept it as `servername`? */
async function accepted(leafHost: string, servername: string, ca: string): Promise<boolean> {
  const leaf = await authority.leafFor(leafHost);
  const server = createServer({ cert: leaf.certificatePem, key: leaf.privateKeyPem }, (socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  try {
    // rejectUnauthorized checks the chain and that the leaf names `servername`.
    return await new Promise((resolve) => {
      const socket = connect({ host: "127.0.0.1", port, servername, ca, rejectUnauthorized: true }, () => {
        resolve(true);
        socket.destroy();
      });
      socket.on("error", () => resolve(false));
    });
  } finally {
    server.close();
  }
}

describe("egress CA", () => {
  it("makes a CA that may sign leaves only", async () => {
    const certificate = new X509Certificate(authority.certificatePem);
    expect(certificate.ca).toBe(true);
    expect(certificate.subject).toContain("Console egress test CA");
  });

  it("signs a leaf that a client trusting the CA accepts for that host name", async () => {
    expect(await accepted("api.example.test", "api.example.test", authority.certificatePem)).toBe(true);
  });

  it("signs leaves for IP addresses too", async () => {
    const leaf = new X509Certificate((await authority.leafFor("127.0.0.1")).certificatePem);
    expect(leaf.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(leaf.checkHost("api.example.test")).toBeUndefined();
  });

  it("is refused by a client that trusts another CA, or for another host", async () => {
    expect(await accepted("api.example.test", "api.example.test", otherAuthority.certificatePem)).toBe(false);
    expect(await accepted("api.example.test", "other.example.test", authority.certificatePem)).toBe(false);
  });

  it("signs each host once and serves the leaf from the cache", async () => {
    const first = authority.leafFor("cache.example.test");
    expect(authority.leafFor("CACHE.example.test")).toBe(first);
    const leaf = new X509Certificate((await first).certificatePem);
    expect(leaf.verify(new X509Certificate(authority.certificatePem).publicKey)).toBe(true);
    expect(leaf.ca).toBe(false);
  });
});
