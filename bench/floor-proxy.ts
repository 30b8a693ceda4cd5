// The floor under the credential boundary's figures: a plain node:http pass-through proxy in a
// process of its own, as the console is — no authentication, no lookup, no token, no masking, no
// metrics or log. It costs what any process costs that receives a request, forwards it on a
// kept-alive connection and relays the answer, so the boundary at N connections can be read
// against it: what is left above this line is the boundary's own work.
//
// Given a PostgreSQL URL as well, each request first reads the boundary's own lookup row for its
// x-api-key (the same prepared statement, on a pool of the console's size) and is refused without
// one: the floor of any door that asks the database on every call, as the console did on PostgreSQL
// before lib/change-barrier.ts let each process remember the rows between changes.
//
//   node --import tsx bench/floor-proxy.ts http://127.0.0.1:<stub port> [postgres://…]
//
// Prints `floor proxy listening on http://127.0.0.1:<port>` once it listens; ends on SIGTERM.
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { BOUNDARY_LOOKUP } from "@/lib/boundary/lookup";
import { hashPlaceholder } from "@/lib/boundary/placeholders";
import { isLoopbackHost } from "./loopback";

const upstream = new URL(process.argv[2] ?? "");
if (upstream.protocol !== "http:" || !isLoopbackHost(upstream.hostname)) {
  console.error(`floor proxy: refusing ${process.argv[2] ?? "(none)"}; it forwards to a loopback http stub only`);
  process.exit(2);
}

const agent = new http.Agent({ keepAlive: true });
const databaseUrl = process.argv[3];
const pool = databaseUrl ? new pg.Pool({ connectionString: databaseUrl, max: 10 }) : null;

/** Whether the request may pass: always without a database, else when its key has a lookup row. */
async function admitted(request: http.IncomingMessage): Promise<boolean> {
  if (!pool) return true;
  const key = request.headers["x-api-key"];
  if (typeof key !== "string") return false;
  const { rows } = await pool.query({ name: BOUNDARY_LOOKUP.name, text: BOUNDARY_LOOKUP.text, values: [hashPlaceholder(key)] });
  return rows.length > 0;
}
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "host"]);

function forward(request: http.IncomingMessage, response: http.ServerResponse): void {
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
}

const server = http.createServer((request, response) => {
  if (!pool) return forward(request, response);
  admitted(request).then(
    (pass) => (pass ? forward(request, response) : response.writeHead(401).end()),
    () => response.writeHead(503).end(),
  );
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  console.log(`floor proxy listening on http://127.0.0.1:${port}`);
});
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
