// The floor under the credential boundary's figures: a plain node:http pass-through proxy in a
// process of its own, as the console is — no authentication, no lookup, no token, no masking, no
// metrics or log. It costs what any process costs that receives a request, forwards it on a
// kept-alive connection and relays the answer, so the boundary at N connections can be read
// against it: what is left above this line is the boundary's own work.
//
//   node --import tsx bench/floor-proxy.ts http://127.0.0.1:<stub port>
//
// Prints `floor proxy listening on http://127.0.0.1:<port>` once it listens; ends on SIGTERM.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { isLoopbackHost } from "./loopback";

const upstream = new URL(process.argv[2] ?? "");
if (upstream.protocol !== "http:" || !isLoopbackHost(upstream.hostname)) {
  console.error(`floor proxy: refusing ${process.argv[2] ?? "(none)"}; it forwards to a loopback http stub only`);
  process.exit(2);
}

const agent = new http.Agent({ keepAlive: true });
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "host"]);

const server = http.createServer((request, response) => {
  const headers: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(request.headers)) if (!HOP_BY_HOP.has(name)) headers[name] = value;
  const outgoing = http.request({ host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers, agent }, (incoming) => {
    const answer: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(incoming.headers)) if (!HOP_BY_HOP.has(name)) answer[name] = value;
    response.writeHead(incoming.statusCode ?? 502, answer);
    incoming.pipe(response);
  });
  outgoing.on("error", () => response.destroy());
  response.on("close", () => outgoing.destroy());
  request.pipe(outgoing);
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  console.log(`floor proxy listening on http://127.0.0.1:${port}`);
});
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
