// How the benchmark reaches an upstream through the egress proxy the way a runtime does with
// HTTPS_PROXY: CONNECT host:port with the proxy credentials of the URL, then TLS to the upstream's
// name over the tunnel. ConnectProxyAgent is a node:https Agent whose only difference from the
// one used for the direct calls is where its sockets come from, so the two are measured with the
// same client code (same keep-alive pool, same TLS stack, same request path); undici's ProxyAgent
// would put a second HTTP client into the comparison.
import http from "node:http";
import https from "node:https";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import tls from "node:tls";
import { isLoopbackHost } from "./loopback";

/** `Proxy-Authorization` for the credentials in a proxy URL (`http://user:password@host:port`). */
function proxyAuthorization(proxy: URL): string {
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return `Basic ${Buffer.from(credentials).toString("base64")}`;
}

/** The raw tunnel to host:port once the proxy answered CONNECT with 200; rejects with its status otherwise. */
export function openTunnel(proxy: URL, host: string, port: number): Promise<Socket> {
  if (!isLoopbackHost(proxy.hostname) || !isLoopbackHost(host))
    return Promise.reject(new Error(`bench: refusing a tunnel off loopback (${proxy.host} → ${host})`));
  return new Promise((resolveTunnel, reject) => {
    const authority = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
    const connect = http.request({
      host: proxy.hostname.replace(/^\[|\]$/g, ""),
      port: proxy.port,
      method: "CONNECT",
      path: authority,
      headers: { host: authority, "proxy-authorization": proxyAuthorization(proxy) },
      agent: false,
    });
    connect.once("connect", (response, socket, head) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        reject(new Error(`CONNECT ${authority} answered ${response.statusCode}`));
        return;
      }
      if (head.length > 0) socket.unshift(head);
      resolveTunnel(socket);
    });
    connect.once("error", reject);
    connect.end();
  });
}

/** An https.Agent that opens each connection as CONNECT through `proxy`, then TLS as usual. */
export class ConnectProxyAgent extends https.Agent {
  constructor(
    private readonly proxy: URL,
    options: https.AgentOptions,
  ) {
    super(options);
  }

  override createConnection(options: https.RequestOptions, callback?: (error: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const host = options.host ?? options.hostname ?? "localhost";
    openTunnel(this.proxy, host, Number(options.port)).then(
      (socket) => {
        const secure = tls.connect({ ...(options as tls.ConnectionOptions), socket });
        callback?.(null, secure);
      },
      (error: Error) => callback?.(error, undefined as unknown as Duplex),
    );
    return undefined;
  }
}
