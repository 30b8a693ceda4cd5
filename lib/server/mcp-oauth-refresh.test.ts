import http, { type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/instances";
import { SYSTEM_CONTEXT } from "@/lib/server/audit";
import { createCredential } from "@/lib/server/credentials";
import { createMcpTokenRefresher, freshMcpAccessToken, type FreshToken } from "@/lib/server/mcp-oauth-refresh";
import { setUpEmbeddedConsole } from "@/lib/server/testing/embedded-console";
import { createVault } from "@/lib/server/vaults";
import { credentialCreateSchema } from "@/lib/validation/credentials";
import { vaultCreateSchema } from "@/lib/validation/vaults";

const embedded = setUpEmbeddedConsole("mcp-oauth-refresh");

const ACCESS_TOKEN = "stored-access-token-0123456789";
const REFRESH_TOKEN = "stored-refresh-token-0123456789";
const CLIENT_SECRET = "client-secret-0123456789";
const CLIENT_ID = "client:one";

interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  form: URLSearchParams;
}

interface TokenAnswer {
  status: number;
  body: unknown;
  delayMs?: number;
}

/** A loopback token endpoint that records every request and answers with `answer`. */
async function tokenEndpoint(answer: (seen: SeenRequest) => TokenAnswer) {
  const seen: SeenRequest[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const entry = {
        method: request.method ?? "",
        path: request.url ?? "",
        headers: request.headers,
        form: new URLSearchParams(Buffer.concat(chunks).toString("utf8")),
      };
      seen.push(entry);
      const { status, body, delayMs = 0 } = answer(entry);
      setTimeout(() => {
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify(body));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth/token`, seen };
}

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

type EndpointAuth = "none" | "client_secret_basic" | "client_secret_post";

async function mcpOauthCredential(options: { tokenEndpoint?: string; auth?: EndpointAuth; expiresInMs?: number | null }): Promise<string> {
  const vault = await createVault(vaultCreateSchema.parse({ display_name: "MCP" }), SYSTEM_CONTEXT);
  const { tokenEndpoint: endpoint, auth = "client_secret_post", expiresInMs = 30_000 } = options;
  const credential = await createCredential(
    vault.id,
    credentialCreateSchema.parse({
      auth: {
        type: "mcp_oauth",
        mcp_server_url: "https://mcp.example.test/mcp",
        access_token: ACCESS_TOKEN,
        expires_at: expiresInMs === null ? null : new Date(Date.now() + expiresInMs).toISOString(),
        refresh: endpoint
          ? {
              client_id: CLIENT_ID,
              refresh_token: REFRESH_TOKEN,
              token_endpoint: endpoint,
              token_endpoint_auth: auth === "none" ? { type: auth } : { type: auth, client_secret: CLIENT_SECRET },
              scope: "mcp:tools",
              resource: "https://mcp.example.test/mcp",
            }
          : null,
      },
    }),
    SYSTEM_CONTEXT,
  );
  return credential.id;
}

/** Moves the stored expiry (the API accepts only future ones). */
async function setExpiry(credentialId: string, expiresAt: Date): Promise<void> {
  const row = await db().vaultCredential.findUniqueOrThrow({ where: { id: credentialId } });
  await db().vaultCredential.update({
    where: { id: credentialId },
    data: { authPublic: { ...(row.authPublic as object), expires_at: expiresAt.toISOString() } },
  });
}

async function refreshAudits(credentialId: string) {
  return db().auditEvent.findMany({ where: { resourceId: credentialId, action: "vault_credential.refresh" } });
}

function tokenOf(result: FreshToken): string {
  if (!("token" in result)) throw new Error(`expected a token, got the problem: ${result.problem}`);
  return result.token;
}

function problemOf(result: FreshToken): { problem: string; status: number } {
  if (!("problem" in result)) throw new Error("expected a problem, got a token");
  return result;
}

const granted = (token: string, extra: Record<string, unknown> = {}): TokenAnswer => ({
  status: 200,
  body: { access_token: token, token_type: "Bearer", expires_in: 3600, ...extra },
});

const boot = () => embedded.boot({ CONSOLE_PRIVATE_ENDPOINTS: "127.0.0.1" });

describe("freshMcpAccessToken", { timeout: 60_000 }, () => {
  it("refreshes a token that expires within a minute, stores the new and the rotated token, and audits it without a secret", async () => {
    await boot();
    const endpoint = await tokenEndpoint(({ form }) =>
      granted(form.get("refresh_token") === REFRESH_TOKEN ? "new-access-token-1" : "new-access-token-2", { refresh_token: "rotated-refresh-token" }),
    );
    const id = await mcpOauthCredential({ tokenEndpoint: endpoint.url, auth: "client_secret_post" });

    const before = Date.now();
    expect(tokenOf(await freshMcpAccessToken(id))).toBe("new-access-token-1");
    expect(endpoint.seen).toHaveLength(1);
    const [first] = endpoint.seen;
    expect(first?.method).toBe("POST");
    expect(first?.path).toBe("/oauth/token");
    expect(first?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(first?.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(first?.form ?? [])).toEqual({
      grant_type: "refresh_token",
      refresh_token: REFRESH_TOKEN,
      scope: "mcp:tools",
      resource: "https://mcp.example.test/mcp",
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });

    const row = await db().vaultCredential.findUniqueOrThrow({ where: { id } });
    const expiresAt = new Date((row.authPublic as { expires_at: string }).expires_at).getTime();
    expect(expiresAt).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 3_600_000);
    expect(row.tokenHint).toBe("…en-1");
    const audits = await refreshAudits(id);
    expect(audits).toHaveLength(1);
    expect(audits[0]?.details).toMatchObject({ vault_id: row.vaultId, refresh_token_rotated: true });
    const written = JSON.stringify(audits.map((audit) => audit.details));
    for (const secret of [ACCESS_TOKEN, REFRESH_TOKEN, CLIENT_SECRET, "new-access-token-1", "rotated-refresh-token"]) expect(written).not.toContain(secret);

    // Now fresh: served from the database without asking again.
    expect(tokenOf(await freshMcpAccessToken(id))).toBe("new-access-token-1");
    expect(endpoint.seen).toHaveLength(1);

    // Expired again: the rotated refresh token is the one sent.
    await setExpiry(id, new Date(Date.now() - 1_000));
    expect(tokenOf(await freshMcpAccessToken(id))).toBe("new-access-token-2");
    expect(endpoint.seen[1]?.form.get("refresh_token")).toBe("rotated-refresh-token");
  });

  it("sends the stored token without a refresh while it is fresh, or has no expiry", async () => {
    await boot();
    const endpoint = await tokenEndpoint(() => granted("never-issued"));
    const fresh = await mcpOauthCredential({ tokenEndpoint: endpoint.url, expiresInMs: 3_600_000 });
    const timeless = await mcpOauthCredential({ tokenEndpoint: endpoint.url, expiresInMs: null });
    expect(tokenOf(await freshMcpAccessToken(fresh))).toBe(ACCESS_TOKEN);
    expect(tokenOf(await freshMcpAccessToken(timeless))).toBe(ACCESS_TOKEN);
    expect(endpoint.seen).toHaveLength(0);
    expect(await refreshAudits(fresh)).toHaveLength(0);
  });

  it("authenticates the client with HTTP Basic for client_secret_basic (id and secret form-encoded), and not at all for none", async () => {
    await boot();
    const endpoint = await tokenEndpoint(() => granted("basic-access-token"));
    const basic = await mcpOauthCredential({ tokenEndpoint: endpoint.url, auth: "client_secret_basic" });
    expect(tokenOf(await freshMcpAccessToken(basic))).toBe("basic-access-token");
    const [request] = endpoint.seen;
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from(`client%3Aone:${CLIENT_SECRET}`).toString("base64")}`);
    expect(request?.form.has("client_secret")).toBe(false);
    expect(request?.form.has("client_id")).toBe(false);
    expect(request?.form.get("refresh_token")).toBe(REFRESH_TOKEN);

    const publicClient = await mcpOauthCredential({ tokenEndpoint: endpoint.url, auth: "none" });
    expect(tokenOf(await freshMcpAccessToken(publicClient))).toBe("basic-access-token");
    expect(endpoint.seen[1]?.headers.authorization).toBeUndefined();
    expect(endpoint.seen[1]?.form.get("client_id")).toBe(CLIENT_ID);
    expect(endpoint.seen[1]?.form.has("client_secret")).toBe(false);
  });

  it("reports a refused refresh with the server's error code only, and keeps the stored token", async () => {
    await boot();
    const endpoint = await tokenEndpoint(({ form }) => ({
      status: 400,
      body: { error: "invalid_grant", error_description: `refresh token ${form.get("refresh_token")} was revoked` },
    }));
    const id = await mcpOauthCredential({ tokenEndpoint: endpoint.url });
    const refused = problemOf(await freshMcpAccessToken(id));
    expect(refused.status).toBe(403);
    expect(refused.problem).toContain("HTTP 400, invalid_grant");
    expect(refused.problem).toContain(id);
    expect(refused.problem).not.toContain(REFRESH_TOKEN);
    const row = await db().vaultCredential.findUniqueOrThrow({ where: { id } });
    expect(row.tokenHint).toBe("…6789");
    expect(await refreshAudits(id)).toHaveLength(0);
  });

  it("refuses an expired token without refresh settings, a token endpoint the policy refuses, and one that does not answer", async () => {
    await boot();
    const noRefresh = await mcpOauthCredential({});
    expect(tokenOf(await freshMcpAccessToken(noRefresh))).toBe(ACCESS_TOKEN);
    await setExpiry(noRefresh, new Date(Date.now() - 1_000));
    expect(problemOf(await freshMcpAccessToken(noRefresh)).problem).toMatch(/expired at .* has no refresh settings/);

    // 127.0.0.2 is not in CONSOLE_PRIVATE_ENDPOINTS here: refused before any connection.
    const endpoint = await tokenEndpoint(() => granted("never-issued"));
    const privateEndpoint = await mcpOauthCredential({ tokenEndpoint: endpoint.url.replace("127.0.0.1", "127.0.0.2") });
    const refused = problemOf(await freshMcpAccessToken(privateEndpoint));
    expect(refused).toMatchObject({ status: 403 });
    expect(refused.problem).toContain("will not send");
    expect(endpoint.seen).toHaveLength(0);

    const closed = await tokenEndpoint(() => granted("never-issued"));
    await new Promise((resolve) => servers.pop()?.close(resolve));
    const silent = await mcpOauthCredential({ tokenEndpoint: closed.url });
    expect(problemOf(await freshMcpAccessToken(silent))).toMatchObject({ status: 502, problem: expect.stringContaining("did not answer") });
  });

  it("refreshes once for concurrent callers in one process and across processes sharing the database", async () => {
    await boot();
    let issued = 0;
    const endpoint = await tokenEndpoint(() => ({ ...granted(`concurrent-access-token-${++issued}`), delayMs: 300 }));
    const id = await mcpOauthCredential({ tokenEndpoint: endpoint.url });
    // Two refreshers stand for two console processes: each has its own in-process sharing, so only
    // the row lock and the expiry re-checked under it keep the second from refreshing again.
    const [processA, processB] = [createMcpTokenRefresher(), createMcpTokenRefresher()];
    const results = await Promise.all([processA(id), processB(id), processA(id), processB(id), processA(id)]);
    expect(results.map(tokenOf)).toEqual(Array(5).fill("concurrent-access-token-1"));
    expect(endpoint.seen).toHaveLength(1);
    expect(await refreshAudits(id)).toHaveLength(1);
  });
});
