// One front door in a process of its own, for bench/door-cpu.ts: the base-URL boundary as
// scripts/start.ts serves it (request id, request log and metrics included) over a lookup that
// answers from memory — the embedded console's remembered read — and a real sealed token, or the
// plain pass-through proxy of bench/floor-proxy.ts. Nothing here opens a database. Five
// AsyncLocalStorage stores are turned on first, as Next's route and page handlers turn on theirs in
// the console: on Node 20 that installs process-wide async hooks, which every request of the door
// then runs (for each promise, tick, timer and kept-alive socket reuse).
//
//   node --import tsx bench/door-server.ts boundary http://127.0.0.1:<stub port>
//
// Prints `door listening on http://127.0.0.1:<port> <placeholder>`; ends on SIGTERM.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { BOUNDARY_PREFIX, createBaseUrlBoundary } from "@/lib/boundary/base-url-door";
import { resolveBoundaryTarget } from "@/lib/boundary/base-url-target";
import type { BoundaryLookup, BoundaryRow } from "@/lib/boundary/lookup";
import { UNOBSERVED } from "@/lib/boundary/observer";
import { hashPlaceholder, newPlaceholder } from "@/lib/boundary/placeholders";
import { createKeyring, masterKeyFromBase64, openSecret, sealSecret } from "@/lib/crypto/envelope";
import { newId } from "@/lib/ids";
import { metrics } from "@/lib/ops/metrics";
import { createRequestLog } from "@/lib/ops/request-log";
import { RESERVED_KEYS } from "@/lib/validation/reserved-keys";
import { isLoopbackHost } from "./loopback";

const NEXT_STORES = 5;
for (let store = 0; store < NEXT_STORES; store++) new AsyncLocalStorage<number>().run(store, () => undefined);

const upstream = new URL(process.argv[3] ?? "");
if (upstream.protocol !== "http:" || !isLoopbackHost(upstream.hostname)) {
  console.error(`door server: refusing ${process.argv[3] ?? "(none)"}; it forwards to a loopback http stub only`);
  process.exit(2);
}

const keyring = createKeyring(masterKeyFromBase64(randomBytes(32).toString("base64")));
const credentialId = "vcrd_bench";
const sealed = sealSecret(`sk-ant-bench-${randomBytes(30).toString("base64url")}`, keyring, `${credentialId}:secret`);
const placeholder = newPlaceholder();
const placeholderHash = hashPlaceholder(placeholder);
const row: BoundaryRow = {
  session_id: "sesn_bench",
  revoked: false,
  expires_at: null,
  session_archived: false,
  vault_id: "vlt_bench",
  vault_archived: false,
  vault_metadata: { [RESERVED_KEYS.llmBaseUrl]: upstream.origin, [RESERVED_KEYS.role]: "llm" },
  credential_id: credentialId,
  auth_type: "static_bearer",
  mcp_server_url: null,
  secret_ciphertext: sealed.ciphertext,
  secret_key_id: sealed.keyId,
  endpoint_origin: upstream.origin,
};
const lookup: BoundaryLookup = async (hash) => (hash === placeholderHash ? row : undefined);
const { boundaryRequests, boundaryBytes, boundaryAddedLatency } = metrics();
const targetOptions = {
  lookup,
  openSecret: (credential: { id: string; secretKeyId: string }, blob: Uint8Array) =>
    openSecret(blob, credential.secretKeyId, keyring, `${credential.id}:secret`),
  privateEndpoints: new Set([upstream.hostname]),
};
const serveBoundary = createBaseUrlBoundary({
  resolveTarget: (sessionId, presented) => resolveBoundaryTarget(targetOptions, sessionId, presented),
  privateEndpoints: targetOptions.privateEndpoints,
  observer:
    process.argv[2] === "boundary-bare"
      ? UNOBSERVED
      : {
          outcome: (outcome) => boundaryRequests.inc({ door: "base_url", outcome }),
          bytes: (direction, count) => boundaryBytes.inc({ door: "base_url", direction }, count),
          addedLatency: (seconds) => boundaryAddedLatency.observe({ door: "base_url" }, seconds),
        },
});
const requestLog = createRequestLog(new Set());

// `boundary-bare`: the door alone, without start.ts's request id, log line and metrics.
const bare = process.argv[2] === "boundary-bare";
const server = createServer((request, response) => {
  if (bare) {
    void serveBoundary(request, response, "req_bare").catch(() => response.destroy());
    return;
  }
  const requestId = newId("req");
  requestLog.observe(request, response, requestId);
  if (request.url?.startsWith(BOUNDARY_PREFIX)) {
    serveBoundary(request, response, requestId).catch(() => response.destroy());
    return;
  }
  response.writeHead(404).end();
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  console.log(`door listening on http://127.0.0.1:${port} ${placeholder}`);
});
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
