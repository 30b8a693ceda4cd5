// The comparison point for "framework overhead": GET /v1/vaults served by a bare node:http server
// that calls the route module's own GET export — the same API-key auth, query validation, service
// and serializer as under Next. Only Next's router, request adaptation and rendering pipeline are
// missing, so the req/s gap between the two is what Next costs on this route.
//
//   node --conditions=react-server --import tsx bench/bare-server.ts   (env as for scripts/start.ts)
import "@/lib/debug-guard";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { bootConsole } from "@/lib/boot";
import { loadEnv } from "@/lib/env";
import { responseText } from "@/lib/http/fetch-bridge";
import { CLIENT_ADDRESS_HEADER } from "@/lib/http/headers";
import { GET as listVaultsRoute } from "@/app/v1/vaults/route";
import { BARE_READY_MARKER } from "./markers";

// What Next passes a route without dynamic segments (app-route module: `params: context.params ?
// … : undefined`), so that the handler sees exactly what it sees under Next.
const STATIC_ROUTE_CONTEXT = { params: undefined as unknown as Promise<Record<string, never>> };

/** What Next hands a route handler: a Fetch Request, with the client address stamped as start.ts does without trusted proxies. */
function toFetchRequest(incoming: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (name === CLIENT_ADDRESS_HEADER || value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  if (incoming.socket.remoteAddress) headers.set(CLIENT_ADDRESS_HEADER, incoming.socket.remoteAddress);
  return new Request(new URL(incoming.url ?? "/", origin), { method: incoming.method, headers });
}

/** As start.ts writes it: a JSON answer from the string it was made from (lib/http/fetch-bridge.ts#textResponse). */
async function writeResponse(response: Response, outgoing: ServerResponse): Promise<void> {
  const body = responseText(response) ?? Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  headers["content-length"] = String(Buffer.byteLength(body));
  outgoing.writeHead(response.status, headers);
  outgoing.end(body);
}

async function main(): Promise<void> {
  const env = loadEnv();
  const booted = await bootConsole(env);
  const origin = `http://${env.HOST.includes(":") ? `[${env.HOST}]` : env.HOST}:${env.PORT}`;

  const server = createServer((incoming, outgoing) => {
    const pathname = new URL(incoming.url ?? "/", origin).pathname;
    const served =
      incoming.method === "GET" && pathname === "/v1/vaults"
        ? listVaultsRoute(toFetchRequest(incoming, origin), STATIC_ROUTE_CONTEXT)
        : Promise.resolve(Response.json({ type: "error", error: { type: "not_found_error", message: "bench: only GET /v1/vaults" } }, { status: 404 }));
    served
      .then((response) => writeResponse(response, outgoing))
      .catch((error: unknown) => {
        console.error("bare-server: handler failed:", error);
        if (!outgoing.headersSent) outgoing.writeHead(500);
        outgoing.end();
      });
  });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.close();
    server.closeAllConnections();
    await booted.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());

  server.listen(env.PORT, env.HOST, () => console.log(`${BARE_READY_MARKER} ${origin}`));
}

main().catch((error: unknown) => {
  console.error("bare-server: cannot start:", error);
  process.exit(1);
});
