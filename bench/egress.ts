// What the egress proxy (issue 11) adds, measured against https stub upstreams called directly
// over TLS, in the same run (bench/compare.ts). The runtime's side is played as a runtime plays
// it: the session's runtime settings in egress mode give HTTPS_PROXY (with the session's proxy
// credentials) and the egress CA, and every call goes to the real upstream URL through CONNECT
// (bench/proxy-agent.ts). Two stubs, both serving TLS with leaves of a bench CA the console trusts
// through NODE_EXTRA_CA_CERTS:
//
//   127.0.0.1, the LLM vault's llm_base_url: intercepted (TLS terminated with a leaf of the egress
//   CA, the placeholder swapped for the token, re-originated on the proxy's kept-alive pool);
//   127.0.0.2, a host with no credential: tunnelled, the client's TLS end to end.
//
// Measured: added latency on kept-alive connections at 1 and COMPARE_CONCURRENCY connections and
// throughput; a new connection (CONNECT + TLS handshake) against a direct TLS connect; the tunnel's
// added latency; streaming through the proxy against direct.
import https from "node:https";
import type { Socket } from "node:net";
import tls from "node:tls";
import { performance } from "node:perf_hooks";
import { z } from "zod";
import { EgressCertificateAuthority, type EgressCaMaterial } from "@/lib/boundary/egress-ca";
import { anthropicApi, everythingReceived, startStubUpstream, type StubUpstream } from "../e2e/api/stub-upstream";
import { ANTHROPIC_HEADERS, compareAll, compareLoads, percentile, type Comparison, type ComparisonSettings, type Pair, type Route } from "./compare";
import type { LoadResult } from "./load";
import { ConnectProxyAgent, openTunnel } from "./proxy-agent";
import { archiveVault, setUpSession } from "./session";

/** Where the stubs listen: two loopback addresses, so the proxy sees two hosts. */
export const INTERCEPTED_HOST = "127.0.0.1";
export const TUNNELLED_HOST = "127.0.0.2";
const HANDSHAKE_SAMPLES = 100;

export interface EgressSettings extends ComparisonSettings {
  /** Signs the stubs' leaves; the console trusts it through NODE_EXTRA_CA_CERTS. */
  upstreamCa: EgressCaMaterial;
}

export interface HandshakeSummary {
  samples: number;
  p50Ms: number;
  p95Ms: number;
}

export interface EgressResult {
  /** The LLM vault's origin through the proxy, intercepted and injected. */
  intercepted: Comparison;
  /** A host with nothing to inject, through a plain tunnel; one connection. */
  tunnelled: Pair<LoadResult>;
  /** Until the TLS handshake completes: a direct connect, CONNECT + TLS to the proxy's leaf, CONNECT + TLS through a tunnel. */
  handshake: { direct: HandshakeSummary; intercepted: HandshakeSummary; tunnelled: HandshakeSummary };
  /** What the intercepted stub received through the proxy: the token, never the placeholder. */
  upstream: { requestsWithToken: number; placeholderSeen: boolean };
}

/** Egress mode's settings: the proxy with credentials, the real base URL, the CA to trust. */
const egressRuntimeSchema = z.object({
  ca_certificate: z.string(),
  env: z.object({ HTTPS_PROXY: z.url(), ANTHROPIC_API_KEY: z.string(), ANTHROPIC_BASE_URL: z.url() }),
});

/** Time to a completed TLS handshake over `open()`'s socket (or a fresh TCP connection), then closed. */
async function handshakeMs(host: string, port: number, trust: tls.SecureContext, open?: () => Promise<Socket>): Promise<number> {
  const started = performance.now();
  const socket = open ? await open() : undefined;
  await new Promise<void>((resolveHandshake, reject) => {
    const secure = tls.connect({ host, port, secureContext: trust, ALPNProtocols: ["http/1.1"], ...(socket ? { socket } : {}) }, () => {
      secure.destroy();
      resolveHandshake();
    });
    secure.once("error", reject);
  });
  return performance.now() - started;
}

/** Fresh connections, each side in turn so drift on a shared machine favours none; no TLS session is resumed. */
async function compareHandshakes(
  proxy: URL,
  intercepted: URL,
  tunnelled: URL,
  trust: { upstream: string; egress: string },
): Promise<EgressResult["handshake"]> {
  const samples = { direct: [] as number[], intercepted: [] as number[], tunnelled: [] as number[] };
  // Made once: a context per connect would parse the CA each time and be counted as handshake.
  const upstreamTrust = tls.createSecureContext({ ca: trust.upstream });
  const egressTrust = tls.createSecureContext({ ca: trust.egress });
  const port = (url: URL) => Number(url.port);
  for (let index = 0; index < HANDSHAKE_SAMPLES; index++) {
    samples.direct.push(await handshakeMs(INTERCEPTED_HOST, port(intercepted), upstreamTrust));
    samples.intercepted.push(await handshakeMs(INTERCEPTED_HOST, port(intercepted), egressTrust, () => openTunnel(proxy, INTERCEPTED_HOST, port(intercepted))));
    samples.tunnelled.push(await handshakeMs(TUNNELLED_HOST, port(tunnelled), upstreamTrust, () => openTunnel(proxy, TUNNELLED_HOST, port(tunnelled))));
  }
  const summary = (values: number[]): HandshakeSummary => ({ samples: values.length, p50Ms: percentile(values, 0.5), p95Ms: percentile(values, 0.95) });
  return { direct: summary(samples.direct), intercepted: summary(samples.intercepted), tunnelled: summary(samples.tunnelled) };
}

/** The two https stubs and the CA their leaves come from. */
interface EgressStubs {
  llm: StubUpstream;
  plain: StubUpstream;
  upstreamCaPem: string;
}

async function startEgressStubs(material: EgressCaMaterial): Promise<EgressStubs> {
  const authority = await EgressCertificateAuthority.load(material);
  const llm = await startStubUpstream(anthropicApi(), { host: INTERCEPTED_HOST, tls: await authority.leafFor(INTERCEPTED_HOST) });
  const plain = await startStubUpstream(anthropicApi(), { host: TUNNELLED_HOST, tls: await authority.leafFor(TUNNELLED_HOST) }).catch(
    async (error: unknown) => {
      await llm.close();
      throw error;
    },
  );
  return { llm, plain, upstreamCaPem: authority.certificatePem };
}

/** What a runtime in egress mode is given, as the benchmark uses it. */
interface EgressRuntime {
  /** HTTPS_PROXY, with the session's proxy credentials. */
  proxy: URL;
  /** ANTHROPIC_API_KEY. */
  placeholder: string;
  /** The egress CA the runtime trusts. */
  caCertificate: string;
  /** ANTHROPIC_BASE_URL's path, "" at the root. */
  basePath: string;
}

async function measureEgressPath(settings: ComparisonSettings, stubs: EgressStubs, runtime: EgressRuntime): Promise<EgressResult> {
  const { llm, plain } = stubs;
  const { proxy, placeholder } = runtime;
  const trust = { upstream: stubs.upstreamCaPem, egress: runtime.caCertificate };
  const direct = (ca: string) => (sockets: number) => new https.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets, ca });
  const proxied = (ca: string) => (sockets: number) => new ConnectProxyAgent(proxy, { keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets, ca });
  // The runtime keeps the real URL and sends its placeholder; the direct call a key of its own.
  const path = `${runtime.basePath}/v1/messages`;
  const intercepted = await compareAll(
    settings,
    llm,
    {
      direct: { origin: llm.origin, path, headers: { ...ANTHROPIC_HEADERS, "x-api-key": "direct-call" }, agent: direct(trust.upstream) },
      through: { origin: llm.origin, path, headers: { ...ANTHROPIC_HEADERS, "x-api-key": placeholder }, agent: proxied(trust.egress) },
    },
    "intercepted",
  );
  const upstream = {
    requestsWithToken: llm.requests.filter((request) => String(request.headers["x-api-key"] ?? "").includes(settings.canary)).length,
    placeholderSeen: everythingReceived(llm.requests).includes(placeholder),
  };
  llm.clear();
  const tunnelRoute = (agent: Route["agent"], key: string): Route => ({
    origin: plain.origin,
    path: "/v1/messages",
    headers: { ...ANTHROPIC_HEADERS, "x-api-key": key },
    agent,
  });
  const tunnelled = await compareLoads(
    settings,
    { direct: tunnelRoute(direct(trust.upstream), "direct-call"), through: tunnelRoute(proxied(trust.upstream), "tunnelled-call") },
    1,
  );
  plain.clear();
  settings.describeLoad("direct (host 2), 1 connection", tunnelled.direct);
  settings.describeLoad("tunnelled, 1 connection", tunnelled.through);
  const handshake = await compareHandshakes(proxy, new URL(llm.origin), new URL(plain.origin), trust);
  return { intercepted, tunnelled, handshake, upstream };
}

export async function measureEgress(settings: EgressSettings): Promise<EgressResult> {
  const stubs = await startEgressStubs(settings.upstreamCa);
  let vaultId: string | null = null;
  try {
    const session = await setUpSession(settings, stubs.llm.origin, "egress");
    vaultId = session.vaultId;
    const runtime = egressRuntimeSchema.parse(session.runtime);
    return await measureEgressPath(settings, stubs, {
      proxy: new URL(runtime.env.HTTPS_PROXY),
      placeholder: runtime.env.ANTHROPIC_API_KEY,
      caCertificate: runtime.ca_certificate,
      basePath: new URL(runtime.env.ANTHROPIC_BASE_URL).pathname.replace(/\/$/, ""),
    });
  } finally {
    if (vaultId) await archiveVault(settings, vaultId);
    await Promise.all([stubs.llm.close(), stubs.plain.close()]);
  }
}
