// tsyringe, under @peculiar/x509, needs the Reflect metadata API before the library loads.
import "reflect-metadata";
import { isIP } from "node:net";
import { randomBytes, webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

/**
 * The egress proxy's certificate authority. A runtime trusts this one CA; for each host the proxy
 * injects a credential into, it terminates TLS with a short-lived leaf this CA signs. The CA's key
 * is created once and stored sealed by the caller (under the master key), so every console process
 * signs with the same CA and a runtime's trust survives restarts.
 */

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const SIGNING = { name: "ECDSA", hash: "SHA-256" } as const;
const KEY_ALGORITHM = { name: "ECDSA", namedCurve: "P-256" } as const;
const CA_VALIDITY_DAYS = 3650;
/** Leaves live a day past their cache lifetime, so a cached leaf is never presented expired. */
const LEAF_VALIDITY_DAYS = 8;
const LEAF_CACHE_MS = 7 * 24 * 60 * 60 * 1000;
/** Clocks in sandboxes drift; a leaf valid from an hour ago is accepted by a slightly slow one. */
const BACKDATE_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Hosts whose leaves are kept; past this the least recently used are signed again when needed. */
const LEAF_CACHE_SIZE = 1000;

/** The CA as stored: the certificate (public) and its PKCS#8 private key (secret; the caller seals it). */
export interface EgressCaMaterial {
  certificatePem: string;
  privateKeyPkcs8: Buffer;
}

/** A leaf for one host, ready for `tls.createSecureContext`. */
export interface LeafCertificate {
  certificatePem: string;
  privateKeyPem: string;
}

function serialNumber(): string {
  // Positive, 16 random bytes: unique enough that no two leaves of one CA share a serial.
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString("hex");
}

function pem(label: string, der: ArrayBuffer): string {
  const body = Buffer.from(der).toString("base64").replace(/.{64}/g, "$&\n");
  return `-----BEGIN ${label}-----\n${body}${body.endsWith("\n") ? "" : "\n"}-----END ${label}-----\n`;
}

/** A new CA: ECDSA P-256, ten years, allowed to sign leaves only (path length 0). */
export async function createEgressCa(commonName: string, now: Date = new Date()): Promise<EgressCaMaterial> {
  const keys = (await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ["sign", "verify"])) as CryptoKeyPair;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: `CN=${commonName}`,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + CA_VALIDITY_DAYS * DAY_MS),
    signingAlgorithm: SIGNING,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const privateKey = await webcrypto.subtle.exportKey("pkcs8", keys.privateKey);
  return { certificatePem: certificate.toString("pem"), privateKeyPkcs8: Buffer.from(privateKey) };
}

/**
 * Signs leaves for hosts. One key pair serves every leaf of this process (as mitmproxy does): the
 * key never leaves the process, and a leaf then costs one signature, not a key generation.
 */
export class EgressCertificateAuthority {
  private readonly leaves = new Map<string, { leaf: Promise<LeafCertificate>; expiresAt: number }>();

  private constructor(
    private readonly caCertificate: x509.X509Certificate,
    private readonly caKey: CryptoKey,
    private readonly leafKeys: CryptoKeyPair,
    private readonly leafKeyPem: string,
  ) {}

  static async load(material: EgressCaMaterial): Promise<EgressCertificateAuthority> {
    const caCertificate = new x509.X509Certificate(material.certificatePem);
    const caKey = await webcrypto.subtle.importKey("pkcs8", material.privateKeyPkcs8, KEY_ALGORITHM, false, ["sign"]);
    const leafKeys = (await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ["sign", "verify"])) as CryptoKeyPair;
    const leafKeyPem = pem("PRIVATE KEY", await webcrypto.subtle.exportKey("pkcs8", leafKeys.privateKey));
    return new EgressCertificateAuthority(caCertificate, caKey, leafKeys, leafKeyPem);
  }

  get certificatePem(): string {
    return this.caCertificate.toString("pem");
  }

  /** The leaf for a host name or IP address, signed once and then served from the cache. */
  leafFor(host: string, now: number = Date.now()): Promise<LeafCertificate> {
    const key = host.toLowerCase();
    const cached = this.leaves.get(key);
    if (cached && cached.expiresAt > now) {
      // Re-inserting keeps the map in least-recently-used order for eviction.
      this.leaves.delete(key);
      this.leaves.set(key, cached);
      return cached.leaf;
    }
    const leaf = this.signLeaf(key, new Date(now));
    this.leaves.set(key, { leaf, expiresAt: now + LEAF_CACHE_MS });
    leaf.catch(() => this.leaves.delete(key));
    while (this.leaves.size > LEAF_CACHE_SIZE) {
      const oldest = this.leaves.keys().next().value;
      if (oldest === undefined) break;
      this.leaves.delete(oldest);
    }
    return leaf;
  }

  private async signLeaf(host: string, now: Date): Promise<LeafCertificate> {
    const subjectAlternativeName = isIP(host) ? { type: "ip" as const, value: host } : { type: "dns" as const, value: host };
    const certificate = await x509.X509CertificateGenerator.create({
      serialNumber: serialNumber(),
      // The common name is informational; clients match the subject alternative name.
      subject: `CN=${isIP(host) ? "egress leaf" : host}`,
      issuer: this.caCertificate.subject,
      notBefore: new Date(now.getTime() - BACKDATE_MS),
      notAfter: new Date(now.getTime() + LEAF_VALIDITY_DAYS * DAY_MS),
      signingAlgorithm: SIGNING,
      publicKey: this.leafKeys.publicKey,
      signingKey: this.caKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
        new x509.SubjectAlternativeNameExtension([subjectAlternativeName], false),
        await x509.AuthorityKeyIdentifierExtension.create(this.caCertificate, false),
      ],
    });
    return { certificatePem: certificate.toString("pem"), privateKeyPem: this.leafKeyPem };
  }
}
